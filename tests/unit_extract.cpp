#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "extract.h"
#include "framer.h"

using namespace trendtop;

namespace {

struct Got {
  Record::Kind kind;
  std::optional<int64_t> time;
  std::vector<std::string> keys;
};

Got extract(const std::string& json, ExtractMode mode = ExtractMode::Entities) {
  static Extractor entities(ExtractMode::Entities), split(ExtractMode::Split);
  std::string padded = json + std::string(Framer::kPadding, ' ');
  Record r;
  (mode == ExtractMode::Split ? split : entities).extract(std::string_view(padded.data(), json.size()), r);
  return {r.kind, r.time_ms, {r.keys.begin(), r.keys.end()}};
}

std::string tweet(const std::string& extra) {
  return R"({"created_at":"Fri Jan 01 07:29:00 +0000 2021","id":1,"text":"hi","user":{"id":2},)" + extra +
         "}";
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("extract: hashtag entities, folded, each distinct key once", "[extract]") {
  Got g = extract(tweet(
      R"("entities":{"hashtags":[{"text":"RedVelvet","indices":[0,10]},{"text":"REDVELVET"},{"text":"nct"}]},"timestamp_ms":"1609486140658")"));
  CHECK(g.kind == Record::Kind::Tweet);
  CHECK(g.time == 1609486140658);
  CHECK(g.keys == V{"#redvelvet", "#nct"});
}

TEST_CASE("extract: created_at is the time when timestamp_ms is absent", "[extract]") {
  Got g = extract(tweet(R"("entities":{"hashtags":[]})"));
  CHECK(g.kind == Record::Kind::Tweet);
  CHECK(g.time == 1609486140000);
  CHECK(g.keys.empty());
}

TEST_CASE("extract: a retweet counts its original's hashtags", "[extract]") {
  std::string original =
      R"({"created_at":"Thu Dec 31 07:00:00 +0000 2020","user":{},"entities":{"hashtags":[{"text":"Orig"},{"text":"Cut"}]}})";
  Got g = extract(tweet(R"("entities":{"hashtags":[{"text":"Orig"}]},"retweeted_status":)" + original));
  CHECK(g.keys == V{"#orig", "#cut"});
  CHECK(g.time == 1609486140000);  // the retweet's own time, not the original's
  // Field order does not matter: retweeted_status before entities.
  Got h = extract(
      R"({"retweeted_status":)" + original +
      R"(,"entities":{"hashtags":[{"text":"Top"}]},"user":{},"created_at":"Fri Jan 01 07:29:00 +0000 2021"})");
  CHECK(h.keys == V{"#orig", "#cut"});
}

TEST_CASE("extract: extended_tweet's entities replace the truncated ones", "[extract]") {
  Got g = extract(tweet(
      R"("truncated":true,"entities":{"hashtags":[{"text":"A"}]},"extended_tweet":{"full_text":"x","entities":{"hashtags":[{"text":"A"},{"text":"OnlyInFull"}]}})"));
  CHECK(g.keys == V{"#a", "#onlyinfull"});
  // A retweet of an extended tweet: the original's extended entities.
  Got h = extract(tweet(
      R"("entities":{"hashtags":[]},"retweeted_status":{"created_at":"Fri Jan 01 07:00:00 +0000 2021","user":{},"entities":{"hashtags":[{"text":"short"}]},"extended_tweet":{"entities":{"hashtags":[{"text":"short"},{"text":"Long"}]}}})"));
  CHECK(h.keys == V{"#short", "#long"});
}

TEST_CASE("extract: notices are not tweets", "[extract]") {
  CHECK(extract(R"({"delete":{"status":{"id":1,"id_str":"1","user_id":3}},"timestamp_ms":"1609486140658"})")
            .kind == Record::Kind::NotTweet);
  CHECK(extract(R"({"limit":{"track":12,"timestamp_ms":"1609486140658"}})").kind == Record::Kind::NotTweet);
  CHECK(extract(R"({"some":"object"})").kind == Record::Kind::NotTweet);
}

TEST_CASE("extract: malformed lines", "[extract]") {
  CHECK(extract(R"({"created_at":"Fri Jan 01 07:29:00 +0000 2021","user":{)").kind ==
        Record::Kind::Malformed);
  CHECK(extract("not json").kind == Record::Kind::Malformed);
  CHECK(extract("[1,2,3]").kind == Record::Kind::Malformed);
  CHECK(extract(R"("a string")").kind == Record::Kind::Malformed);
  CHECK(extract(tweet("") + " trailing").kind == Record::Kind::Malformed);
  CHECK(extract("{\"text\":\"\xff\xfe\",\"user\":{}}").kind == Record::Kind::Malformed);  // invalid UTF-8
  CHECK(extract(tweet(R"("entities":{"hashtags":[{"text":"\ud800"}]})")).kind == Record::Kind::Malformed);
}

TEST_CASE("extract: wrong types are ignored, not fatal", "[extract]") {
  Got g = extract(tweet(R"("entities":{"hashtags":null})"));
  CHECK(g.kind == Record::Kind::Tweet);
  CHECK(g.keys.empty());
  Got h = extract(tweet(R"("entities":{"hashtags":[3,{"text":7},{"text":"ok"}]})"));
  CHECK(h.keys == V{"#ok"});
}

TEST_CASE("extract: unicode folding and escapes", "[extract]") {
  // \u-escaped Thai and an astral character written as a surrogate pair (as in the real stream).
  Got g = extract(
      tweet(R"("entities":{"hashtags":[{"text":"TEN\ud80c\udce0"},{"text":"\u0e2a\u0e27\u0e31\u0e2a"}]})"));
  CHECK(g.keys == V{"#ten\xf0\x93\x83\xa0", "#\xe0\xb8\xaa\xe0\xb8\xa7\xe0\xb8\xb1\xe0\xb8\xaa"});
  // Decomposed e + combining acute and the precomposed form are one key; STRASSE folds to strasse, ß to ss.
  Got h = extract(tweet(
      R"("entities":{"hashtags":[{"text":"Cafe\u0301"},{"text":"caf\u00e9"},{"text":"Stra\u00dfe"},{"text":"STRASSE"}]})"));
  CHECK(h.keys == V{"#caf\xc3\xa9", "#strasse"});
}

TEST_CASE("extract: split reproduces the tutorial", "[extract]") {
  Got g = extract(
      tweet(
          R"("entities":{"hashtags":[{"text":"ignored"}]},"text":"RT #Smtown #smtown  #russia's\n#x #https://t.co #")"),
      ExtractMode::Split);
  // Split on ' ' only: "#russia's\n#x" is one word; "#" alone starts with '#'; every occurrence counts.
  CHECK(g.keys == V{"#smtown", "#smtown", "#russia's\n#x", "#https://t.co", "#"});
  // Python's str.lower() lower-cases non-ASCII too (no folding: ß stays).
  Got h = extract(tweet(R"("text":"#\u00c9T\u00c9 #Stra\u00dfe")"), ExtractMode::Split);
  CHECK(h.keys == V{"#\xc3\xa9t\xc3\xa9",
                    "#stra\xc3\x9f"
                    "e"});
}

TEST_CASE("extract: timestamp_ms as a number, and unparseable times", "[extract]") {
  CHECK(extract(tweet(R"("timestamp_ms":1609486140001)")).time == 1609486140001);
  Got g = extract(R"({"created_at":"yesterday","user":{}})");
  CHECK(g.kind == Record::Kind::Tweet);
  CHECK(!g.time);
}
