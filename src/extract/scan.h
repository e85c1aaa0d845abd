// Scan: the one forward pass over a JSON record that every stream format shares. The pass reads the fields
// of all formats at once (whatever their order: real streams and re-serialised archives order them
// differently) into Posts — a status, a tweet, a Bluesky record — and a Message (what sits around a post:
// x-v2's data/includes, Jetstream's commit, a Mastodon streaming event). Which format the record is, and
// which of its posts counts, is decided afterwards (format.h), so detecting the format costs no second pass.
//
// A field is read by the reader its name is registered with: the names every format shares are here
// (scan.cpp), the others in their format's file. Fields of no format are skipped unread. Strings stay views
// into the parser's buffers (text still JSON-escaped: decoded only when a record's text is needed), valid
// until the next record. Posts are recycled: nothing is allocated per record once the buffers have grown.
#pragma once
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "config.h"

namespace trendtop {

// Entities of one kind each, as found in an "entities" object (or a format's own lists).
struct EntityLists {
  std::vector<std::string_view> hashtags, mentions, cashtags, urls;
  void clear() {
    hashtags.clear();
    mentions.clear();
    cashtags.clear();
    urls.clear();
  }
};

// What one post (status, tweet, record) holds, gathered during the pass; the format picks at the end.
struct Post {
  EntityLists entities;  // entities.*, Mastodon tags/mentions, Bluesky facets/tags
  EntityLists extended;  // extended_tweet.entities.*, note_tweet.entities.*
  bool has_entities = false, has_extended = false;
  // text; extended_tweet.full_text, note_tweet.text (or full_text). Raw: still JSON-escaped, decoded only
  // when a record's text is needed (text extraction, --track), since unescaping is costly.
  std::string_view text, full_text;
  std::string_view content;  // Mastodon: HTML
  std::string_view id, type, lang, user, retweeted_id;
  std::optional<int64_t> time;  // created_at / createdAt
  Post* original = nullptr;     // retweeted_status, reblog, twarc's inlined retweeted tweet
  bool has_created_at = false, has_user = false, has_account = false, has_content = false;
  bool has_uri = false, has_author_id = false, edited = false;
  void clear() {
    entities.clear();
    extended.clear();
    has_entities = has_extended = false;
    text = full_text = content = id = type = lang = user = retweeted_id = {};
    time.reset();
    original = nullptr;
    has_created_at = has_user = has_account = has_content = has_uri = has_author_id = edited = false;
  }
};

// Message-level facts (outside any post), by the format that reads them.
struct Message {
  std::optional<int64_t> timestamp_ms;  // twitter v1.1
  bool notice = false;                  // twitter v1.1: a stream notice (delete, limit, ...)
  Post* data = nullptr;                 // x-v2 "data"
  bool has_includes = false, twarc = false;
  Post* record = nullptr;  // Bluesky commit.record
  std::string_view kind, did, operation, collection;
  std::optional<int64_t> time_us_ms;
  bool has_kind = false, has_did = false, has_commit = false;
  std::string_view event, payload;  // Mastodon streaming
  bool has_event = false, has_payload = false;
  void clear() { *this = Message{}; }
};

class Scan {
 public:
  explicit Scan(uint8_t keys, bool want_user) : keys(keys), want_user(want_user) {}

  // Settings the readers consult.
  const uint8_t keys;           // --keys: entity lists of other kinds are not gathered
  const bool want_user;         // --count users: authors are read
  bool sse = false;             // the record came as an SSE "data:" line (Mastodon)
  Post* top = nullptr;          // the record's top-level object
  Message msg;                  // what surrounds the posts
  std::vector<Post*> includes;  // x-v2 includes.tweets

  // Forgets the last record.
  void reset();
  // A cleared post, owned by the scan until the next reset().
  Post& new_post();
  // The pass: every field of `object` whose name some format reads, into `into` (and msg). `top`: the
  // message's top level (or x-v2's data), where message-level fields are read.
  simdjson::error_code read_object(simdjson::ondemand::object object, Post& into, bool top);

  // mastodon.cpp: a streaming message's payload, a status as a JSON string, parsed a second time.
  simdjson::ondemand::parser payload_parser;
  std::string payload_buf;

 private:
  std::vector<std::unique_ptr<Post>> posts_;  // reused; stable addresses
  size_t posts_used_ = 0;
};

// How a format reads one named field: the value into the post (or scan.msg).
using FieldReader = simdjson::error_code (*)(Scan& scan, simdjson::ondemand::value& value, Post& post);
struct Field {
  std::string_view name;
  FieldReader read;
  bool top_only = false;  // a message-level field: read only where read_object() is told `top`
};

// Readers the formats share (scan.cpp).
namespace scan {
// A field's key as written (between the quotes, escapes not decoded), so that matching it against a name is
// a length check and a memcmp. A key with escapes matches no name. The closing quote is found eight bytes at
// a time (the document is padded, so reading past it is safe).
template <class FieldT>
[[gnu::always_inline]] inline simdjson::error_code key_of(FieldT& field, std::string_view& out) {
  simdjson::ondemand::raw_json_string raw;
  if (simdjson::error_code e = field.key().get(raw)) return e;
  const char* begin = raw.raw();
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  auto zero_bytes = [](uint64_t v) { return (v - kOnes) & ~v & kHighs; };  // lowest set bit is exact
  for (size_t n = 0;; n += 8) {
    uint64_t w;
    std::memcpy(&w, begin + n, 8);
    uint64_t quote = zero_bytes(w ^ (kOnes * '"')), backslash = zero_bytes(w ^ (kOnes * '\\'));
    if (!(quote | backslash)) continue;
    if (backslash && (!quote || std::countr_zero(backslash) < std::countr_zero(quote))) {
      const char* end = begin + n;  // an escape: step over escaped characters
      while (*end != '"') end += *end == '\\' ? 2 : 1;
      out = std::string_view(begin, static_cast<size_t>(end - begin));
      return simdjson::SUCCESS;
    }
    out = std::string_view(begin, n + static_cast<size_t>(std::countr_zero(quote)) / 8);
    return simdjson::SUCCESS;
  }
}
// Whether the document, its value read to the end, holds nothing more but whitespace: a line is one JSON
// object. On-Demand stops after the first value, so without this check "{...}{...}" or "{...} junk }" would
// be read as their first object and the rest silently dropped. (Free: the structural indexes are known.)
inline bool only_value(simdjson::ondemand::document& doc) {
  return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
}
// A field of an unexpected type (say "hashtags": null) is ignored; only broken JSON makes a line malformed.
inline simdjson::error_code tolerate_type(simdjson::error_code e) {
  return e == simdjson::INCORRECT_TYPE ? simdjson::SUCCESS : e;
}
// A string value into `to` (another type is ignored).
simdjson::error_code string(simdjson::ondemand::value& value, std::string_view& to);
// A string value kept raw, still escaped (see Post::text); another type is ignored.
simdjson::error_code raw_string(simdjson::ondemand::value& value, std::string_view& to);
// items[].<field> (strings) -> out, with `fallback` as a second choice; items of another shape are ignored.
simdjson::error_code read_strings(simdjson::ondemand::value value, std::string_view field,
                                  std::string_view fallback, std::vector<std::string_view>& out);
// An "entities" object (v1.1 and x-v2 spellings) into lists of the kinds `keys` asks for.
simdjson::error_code read_entities(simdjson::ondemand::object entities, uint8_t keys, EntityLists& into);
// v1.1's extended_tweet and x-v2's note_tweet: the long text and its entities.
simdjson::error_code read_long_text(simdjson::ondemand::value& value, Post& post, bool note, uint8_t keys);
// v1.1's user and Mastodon's account, an object: sets `seen`, and reads the author's id into the post when
// --count users wants it. Another type is ignored.
simdjson::error_code read_author(Scan& scan, simdjson::ondemand::value& value, Post& post, bool& seen);
// v1.1's retweeted_status and Mastodon's reblog: the post a repost carries, read into post.original.
simdjson::error_code read_original(Scan& scan, simdjson::ondemand::value& value, Post& post);
}  // namespace scan

}  // namespace trendtop
