// The stream formats behind one interface (extract/format.h): each field name is read by one reader, and a
// record is recognised by the first format in formats() that matches it — checked here on hand-made records
// whose markers two formats could share.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "extract/extract.h"
#include "extract/format.h"
#include "input/framer.h"

using namespace trendtop;

namespace {

Record::Kind kind_of(const std::string& json, Schema schema) {
  static std::string padded;
  padded = json + std::string(Framer::kPadding, ' ');
  Extractor x(ExtractMode::Entities, kHashtags, schema);
  Record r;
  x.extract(std::string_view(padded.data(), json.size()), r);
  return r.kind;
}

}  // namespace

TEST_CASE("format: every format is listed once, and no two read a field of the same name", "[format]") {
  std::set<const Format*> seen;
  std::set<std::string_view> names;
  for (const Format* f : formats()) {
    CHECK(seen.insert(f).second);
    for (const Field& field : f->fields) {
      INFO(field.name);
      CHECK(names.insert(field.name).second);
      CHECK(field.read != nullptr);
    }
  }
  // Each JSON stream format a --schema names is in the list.
  std::set<Schema> schemas;
  for (const Format* f : formats()) schemas.insert(f->schema);
  CHECK(schemas == std::set<Schema>{Schema::Twitter, Schema::XV2, Schema::Bluesky, Schema::Mastodon});
}

TEST_CASE("format: the first format to match decides, in the documented order", "[format]") {
  const std::string v1 = R"({"created_at":"Fri Jan 01 07:29:00 +0000 2021","text":"#a","user":{"id":1},)"
                         R"("entities":{"hashtags":[{"text":"a"}]}})";
  CHECK(kind_of(v1, Schema::Twitter) == Record::Kind::Tweet);
  CHECK(kind_of(v1, Schema::XV2) == Record::Kind::NotTweet);
  // An x-v2 message wins over the v1.1 markers around it.
  const std::string v2 = R"({"data":{"id":"1","text":"#a","created_at":"2021-01-01T07:29:00.000Z",)"
                         R"("author_id":"2","entities":{"hashtags":[{"tag":"a"}]}},)"
                         R"("created_at":"Fri Jan 01 07:29:00 +0000 2021","user":{"id":1}})";
  CHECK(kind_of(v2, Schema::XV2) == Record::Kind::Tweet);
  CHECK(kind_of(v2, Schema::Twitter) == Record::Kind::NotTweet);
  // A Mastodon status (an account) is not read as v1.1 even with a user object.
  const std::string masto = R"({"id":"1","created_at":"2021-01-01T07:29:00.000Z","account":{"id":"3"},)"
                            R"("user":{"id":1},"content":"<p>#a</p>","tags":[{"name":"a"}]})";
  CHECK(kind_of(masto, Schema::Mastodon) == Record::Kind::Tweet);
  CHECK(kind_of(masto, Schema::Twitter) == Record::Kind::NotTweet);
  // A flattened v2 tweet: created_at and author_id, no user object.
  const std::string flat =
      R"({"id":"1","text":"#a","created_at":"2021-01-01T07:29:00.000Z","author_id":"2"})";
  CHECK(kind_of(flat, Schema::XV2) == Record::Kind::Tweet);
  // A streaming event without a payload is Mastodon's and not a status: no later format gets to match it.
  const std::string event = R"({"event":"delete","created_at":"Fri Jan 01 07:29:00 +0000 2021","user":{}})";
  CHECK(kind_of(event, Schema::Auto) == Record::Kind::NotTweet);
  // A stream notice is never a status, whatever else it carries.
  CHECK(kind_of(R"({"delete":{},"created_at":"Fri Jan 01 07:29:00 +0000 2021","user":{"id":1}})",
                Schema::Auto) == Record::Kind::NotTweet);
}
