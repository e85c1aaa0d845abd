#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "extract/keys.h"
#include "input/framer.h"

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

namespace {

Got extract_with(ExtractMode mode, uint8_t keys, const std::string& json) {
  Extractor e(mode, keys);
  std::string padded = json + std::string(Framer::kPadding, ' ');
  Record r;
  e.extract(std::string_view(padded.data(), json.size()), r);
  return {r.kind, r.time_ms, {r.keys.begin(), r.keys.end()}};
}

// A status with the given text and (optional) entities.
std::string status(const std::string& text, const std::string& rest = "") {
  return R"({"created_at":"Fri Jan 01 07:29:00 +0000 2021","user":{"id":2},"text":")" + text + "\"" +
         (rest.empty() ? "" : "," + rest) + "}";
}

}  // namespace

TEST_CASE("extract: --keys picks mentions, cashtags and expanded URLs from the entities", "[extract]") {
  std::string json = status(
      "@Ann $TSLA https://t.co/x #Go",
      R"("entities":{"hashtags":[{"text":"Go"}],"user_mentions":[{"screen_name":"Ann","id":5}],)"
      R"("symbols":[{"text":"TSLA"}],"urls":[{"url":"https://t.co/x","expanded_url":"https://example.com/A"},)"
      R"({"url":"https://t.co/y","expanded_url":null}]})");
  CHECK(extract_with(ExtractMode::Entities, kHashtags, json).keys == V{"#go"});
  CHECK(extract_with(ExtractMode::Entities, kMentions, json).keys == V{"@ann"});
  CHECK(extract_with(ExtractMode::Entities, kCashtags, json).keys == V{"$tsla"});
  // The expanded URL, as written (URLs are not case folded); the t.co link when no expansion is given.
  CHECK(extract_with(ExtractMode::Entities, kUrls, json).keys ==
        V{"https://example.com/A", "https://t.co/y"});
  CHECK(extract_with(ExtractMode::Entities, kHashtags | kMentions | kCashtags | kUrls, json).keys ==
        V{"#go", "@ann", "$tsla", "https://example.com/A", "https://t.co/y"});
}

TEST_CASE("extract: text mode finds keys by twitter-text's rules in the full text", "[extract]") {
  // Hand-checked against twitter-text: "#russia's" is #russia; a '#' inside a URL is not a hashtag; fullwidth
  // ＃ is; "#123" (all digits) is not; "@Ann's" is @ann; $TSLA ends at punctuation.
  std::string text = "#Russia's news https://x.com/#frag ＃ＴＡＧ #123 @Ann's $TSLA, ok";
  uint8_t all = kHashtags | kMentions | kCashtags;
  CHECK(extract_with(ExtractMode::Text, all, status(text)).keys == V{"#russia", "#ｔａｇ", "@ann", "$tsla"});
  // Text mode ignores the entities, even when they disagree.
  CHECK(extract_with(ExtractMode::Text, kHashtags, status("#a", R"("entities":{"hashtags":[{"text":"b"}]})"))
            .keys == V{"#a"});
  // extended_tweet.full_text wins over the truncated text; a top-level full_text (tweet_mode=extended) too.
  CHECK(extract_with(ExtractMode::Text, kHashtags,
                     status("cut #one…", R"("extended_tweet":{"full_text":"cut #one and #two"})"))
            .keys == V{"#one", "#two"});
  CHECK(extract_with(ExtractMode::Text, kHashtags, status("cut", R"("full_text":"whole #three")")).keys ==
        V{"#three"});
  // A retweet counts the original's full text, not the cut "RT @user: ..." one.
  std::string rt = status("RT @ann: long #cut",
                          R"("retweeted_status":{"created_at":"Fri Jan 01 07:28:00 +0000 2021",)"
                          R"("user":{"id":3},"text":"long","extended_tweet":{"full_text":"long #whole"}})");
  CHECK(extract_with(ExtractMode::Text, kHashtags, rt).keys == V{"#whole"});
  CHECK(extract_with(ExtractMode::Text, kMentions, rt).keys == V{});
  // URLs from text are the links as written.
  CHECK(extract_with(ExtractMode::Text, kUrls, status("see https://t.co/AbC and example.com")).keys ==
        V{"https://t.co/AbC", "example.com"});
}

TEST_CASE("extract: auto uses the entities when the status has them, else its text", "[extract]") {
  CHECK(extract_with(ExtractMode::Auto, kHashtags, status("#a", R"("entities":{"hashtags":[{"text":"b"}]})"))
            .keys == V{"#b"});
  CHECK(extract_with(ExtractMode::Auto, kHashtags, status("#a #A")).keys == V{"#a"});
  // An entities object without hashtags is still Twitter's word that there are none.
  CHECK(extract_with(ExtractMode::Auto, kHashtags, status("#a", R"("entities":{"urls":[]})")).keys == V{});
}

TEST_CASE("extract: folded keys carry their spelling as written, --case keep counts spellings apart",
          "[extract]") {
  Config c;
  c.extract = ExtractMode::Entities;
  c.keys = kHashtags;
  Extractor e(c);
  std::string json = status("x", R"("entities":{"hashtags":[{"text":"RedVelvet"},{"text":"redvelvet"},)"
                                 R"({"text":"REDVELVET"},{"text":"RedVelvet"},{"text":"nct"}]})");
  std::string padded = json + std::string(Framer::kPadding, ' ');
  Record r;
  e.extract(std::string_view(padded.data(), json.size()), r);
  // The key once; a marker per distinct spelling that folding changed (none for "redvelvet" or "nct").
  const std::string rs(1, kSpellingMark);
  CHECK(V(r.keys.begin(), r.keys.end()) ==
        V{"#redvelvet", "#nct", rs + "#redvelvet\x1f#RedVelvet", rs + "#redvelvet\x1f#REDVELVET"});
  c.keep_case = true;
  Extractor keep(c);
  keep.extract(std::string_view(padded.data(), json.size()), r);
  CHECK(V(r.keys.begin(), r.keys.end()) == V{"#RedVelvet", "#redvelvet", "#REDVELVET", "#nct"});
}

TEST_CASE("extract: distinct keys past the linear scan keep their first occurrence, in order", "[extract]") {
  // Around DistinctKeys::kLinear, where the set switches from a scan to a table, and far past it (the table
  // grows several times); every key twice, in two spellings, with the repeats interleaved.
  for (size_t n : {size_t{3}, DistinctKeys::kLinear - 1, DistinctKeys::kLinear, DistinctKeys::kLinear + 1,
                   size_t{1000}, size_t{20000}}) {
    std::string tags;
    V want, markers;
    const std::string rs(1, kSpellingMark);
    for (size_t i = 0; i < n; ++i) {
      std::string t = "T" + std::to_string(i);
      tags += R"({"text":")" + t + R"("},{"text":"t)" + std::to_string(i / 2) + R"("},)";
      want.push_back("#t" + std::to_string(i));
      markers.push_back(rs + "#t" + std::to_string(i) + "\x1f#" + t);
    }
    tags += R"({"text":"T0"})";
    Config c;
    c.extract = ExtractMode::Entities;
    Extractor e(c);
    std::string json = status("x", R"("entities":{"hashtags":[)" + tags + "]}");
    std::string padded = json + std::string(Framer::kPadding, ' ');
    Record r;
    e.extract(std::string_view(padded.data(), json.size()), r);
    V got(r.keys.begin(), r.keys.end());
    V expected = want;
    expected.insert(expected.end(), markers.begin(), markers.end());
    CHECK(got.size() == expected.size());
    CHECK(got == expected);
    // The same extractor again, with a record of three keys: the table of the big one is no longer used.
    std::string small = status("x", R"("entities":{"hashtags":[{"text":"b"},{"text":"a"},{"text":"b"}]})");
    std::string small_padded = small + std::string(Framer::kPadding, ' ');
    e.extract(std::string_view(small_padded.data(), small.size()), r);
    CHECK(V(r.keys.begin(), r.keys.end()) == V{"#b", "#a"});
  }
}

TEST_CASE("extract: 300 000 tags in one record take linear time", "[extract]") {
  std::string tags;
  for (int i = 0; i < 300'000; ++i) tags += R"({"text":"t)" + std::to_string(i) + R"("},)";
  tags += R"({"text":"t0"})";
  std::string json = status("x", R"("entities":{"hashtags":[)" + tags + "]}");
  std::string padded = json + std::string(Framer::kPadding, ' ');
  Extractor e(ExtractMode::Entities);
  Record r;
  auto start = std::chrono::steady_clock::now();
  e.extract(std::string_view(padded.data(), json.size()), r);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(r.keys.size() == 300'000);
  CHECK(r.keys.front() == "#t0");
  CHECK(r.keys.back() == "#t299999");
#ifdef NDEBUG
  // Quadratic, this took minutes; linear, a tenth of a second. (Unoptimised and sanitizer builds take
  // seconds on a busy machine: tests/cli/many_keys_record.sh times them with a smaller record.)
  CHECK(s < 3);
#else
  (void)s;
#endif
}
