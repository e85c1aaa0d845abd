// Partial streams (--output partial): the writer's lines parse back to the same counts in the windows' own
// key encoding (spelling markers, key US author), and the parser refuses what is not a partial line.
#include <catch2/catch.hpp>

#include <algorithm>

#include <string>

#include "extract/extract.h"
#include "output/partial.h"

using namespace trendtop;

namespace {
std::string lines_of(fmt::memory_buffer& b) {
  return fmt::to_string(b);
}
}  // namespace

TEST_CASE("partial: a window's counts and spellings round-trip", "[partial]") {
  CountMap m;
  m.add("#b", 3);
  m.add("#a", 3);
  m.add("#tab\t\"q\"", 1);
  m.add(std::string(1, kSpellingMark) + "#a\x1f#A", 2);
  ClosedWindow w{1000, 11000, 7, m};
  PartialWriter writer;
  fmt::memory_buffer out;
  writer.window(w, false, out);
  std::string line = lines_of(out);
  // Count descending, then key; markers in "spellings", not "counts".
  CHECK(line ==
        "{\"t\":\"window\",\"start\":1000,\"end\":11000,\"records\":7,\"keys\":3,\"exact\":true,\"counts\":[["
        "\"#a\","
        "3],[\"#b\",3],[\"#tab\\t\\\"q\\\"\",1]],\"spellings\":[[\"#a\",\"#A\",2]]}\n");
  PartialParser parser;
  PartialLine parsed;
  std::string why;
  REQUIRE(parser.parse(line.substr(0, line.size() - 1), parsed, why));
  CHECK(parsed.kind == PartialLine::Kind::Window);
  CHECK(parsed.start == 1000);
  CHECK(parsed.end == 11000);
  CHECK(parsed.records == 7);
  CHECK(parsed.exact);
  CountMap back;
  std::string scratch;
  add_partial_counts(parsed, false, back, scratch);
  add_partial_counts(parsed, false, back, scratch);  // two processes' worth: summed
  CHECK(back.size() == m.size());
  m.for_each([&](std::string_view k, uint64_t n) { CHECK(back.get(k) == 2 * n); });
}

TEST_CASE("partial: --count users lists every (key, author) and counts authors per key", "[partial]") {
  CountMap m;
  m.add(
      "#a\x1f"
      "1");
  m.add(
      "#a\x1f"
      "2");
  m.add(
      "#b\x1f"
      "1");
  PartialWriter writer;
  fmt::memory_buffer out;
  writer.window({0, 10, 3, m}, true, out);
  std::string line = lines_of(out);
  CHECK(line.find("\"counts\":[[\"#a\",2],[\"#b\",1]]") != std::string::npos);
  CHECK(line.find("\"authors\":[[\"#a\",\"1\"],[\"#a\",\"2\"],[\"#b\",\"1\"]]") != std::string::npos);
  PartialParser parser;
  PartialLine parsed;
  std::string why, scratch;
  REQUIRE(parser.parse(line, parsed, why));
  CountMap back;
  add_partial_counts(parsed, true, back, scratch);
  add_partial_counts(parsed, true, back, scratch);  // the same author in two processes: still one entry
  CHECK(back.size() == 3);
  CHECK(back.get("#a\x1f"
                 "2") == 2);
}

TEST_CASE("partial: header and end lines", "[partial]") {
  PartialWriter writer;
  fmt::memory_buffer out;
  PartialHeader h;
  h.window_ms = 60000;
  h.slide_ms = 20000;
  h.lateness_ms = 5;
  h.time = "event";
  h.keys = "hashtags,mentions";
  h.count = "records";
  h.case_mode = "fold";
  h.extract = "auto";
  writer.header(h, out);
  PartialParser parser;
  PartialLine parsed;
  std::string why;
  REQUIRE(parser.parse(lines_of(out), parsed, why));
  CHECK(parsed.kind == PartialLine::Kind::Header);
  CHECK(parsed.header.version == kPartialVersion);
  CHECK(parsed.header.window_ms == 60000);
  CHECK(parsed.header.slide_ms == 20000);
  CHECK(parsed.header.keys == "hashtags,mentions");
  CHECK(parsed.header.case_mode == "fold");
  CHECK(describe_settings(parsed.header) == describe_settings(h));
  out.clear();
  writer.end(4, 2, out);
  REQUIRE(parser.parse(lines_of(out), parsed, why));
  CHECK(parsed.kind == PartialLine::Kind::End);
  CHECK(parsed.windows == 4);
  CHECK(parsed.open == 2);
}

TEST_CASE("partial: the header carries every counting setting and the stream's identity", "[partial]") {
  PartialHeader h;
  h.run = "0123456789abcdef0123456789abcdef";
  h.segment = 3;
  h.source = "kafka k1:9092 tweets group g";
  h.window_ms = h.slide_ms = 10000;
  h.lateness_ms = 120000;
  h.max_skew_ms = 0;
  h.time = "event";
  h.keys = "words";
  h.count = "users";
  h.case_mode = "keep";
  h.extract = "text";
  h.schema = "json";
  h.key_field = "/a";
  h.text_field = "/b";
  h.time_field = "/c";
  h.user_field = "/d \"quoted\"";
  h.max_line = 100 << 10;
  h.max_keys = 2000;
  h.track = {"hello world", "\u00e9t\u00e9"};
  h.lang = {"en", "ja"};
  h.no_retweets = true;
  h.exclude = "2 keys, hash 0011223344556677";
  h.stopwords = "175 words, hash 8899aabbccddeeff";
  fmt::memory_buffer out;
  PartialWriter().header(h, out);
  PartialParser parser;
  PartialLine parsed;
  std::string why;
  REQUIRE(parser.parse(lines_of(out), parsed, why));
  const PartialHeader& p = parsed.header;
  CHECK(p.run == h.run);
  CHECK(p.segment == 3);
  CHECK(p.source == h.source);
  CHECK(p.user_field == h.user_field);
  CHECK(p.max_line == 100 << 10);
  CHECK(p.max_keys == std::optional<uint64_t>(2000));
  CHECK(p.track == h.track);
  CHECK(p.lang == h.lang);
  CHECK(p.no_retweets);
  CHECK(p.exclude == h.exclude);
  CHECK(p.stopwords == h.stopwords);
  std::vector<std::string> settings = describe_settings(p);
  CHECK(settings == describe_settings(h));
  for (const char* said :
       {"--window 10s", "--lateness 2m", "--max-skew 0s", "--schema json", "--key-field /a",
        "--time-field /c", "--keys words", "--count users", "--case keep", "--extract text",
        "--max-line 100K", "--track 'hello world', '\u00e9t\u00e9'", "--lang 'en', 'ja'", "--no-retweets",
        "--exclude/--exclude-file (2 keys, hash 0011223344556677)",
        "--stopwords (175 words, hash 8899aabbccddeeff)"})
    CHECK(std::find(settings.begin(), settings.end(), said) != settings.end());
  // Each setting changes what it says.
  PartialHeader other = h;
  other.lang = {"en"};
  CHECK(describe_settings(other) != settings);
  other = h;
  other.no_retweets = false;
  CHECK(describe_settings(other) != settings);
  other = h;
  other.exclude.clear();
  CHECK(std::find(describe_settings(other).begin(), describe_settings(other).end(),
                  "no --exclude/--exclude-file") != describe_settings(other).end());
}

TEST_CASE("partial: lines that are not partial lines are refused with a reason", "[partial]") {
  PartialParser parser;
  PartialLine parsed;
  std::string why;
  for (const char* bad : {
           "",
           "[]",
           "not json",
           "{\"start\":0,\"end\":10,\"counts\":[]}",
           "{\"t\":\"other\"}",
           "{\"t\":\"window\",\"end\":10,\"counts\":[]}",
           "{\"t\":\"window\",\"start\":0,\"end\":10}",
           "{\"t\":\"window\",\"start\":0,\"end\":10,\"counts\":[[\"#a\",0]]}",
           "{\"t\":\"window\",\"start\":0,\"end\":10,\"counts\":[[\"#a\",-1]]}",
           "{\"t\":\"window\",\"start\":0,\"end\":10,\"counts\":[[\"#a\"]]}",
           "{\"t\":\"window\",\"start\":0,\"end\":10,\"counts\":[[\"#a\",1,2]]}",
           "{\"t\":\"window\",\"start\":\"0\",\"end\":10,\"counts\":[]}",
           "{\"t\":\"header\",\"version\":1,\"window_ms\":10,\"slide_ms\":3}",
           "{\"t\":\"header\",\"window_ms\":10,\"slide_ms\":10}",
           // Durations and times at int64's edges: the merge's arithmetic on them would overflow.
           "{\"t\":\"header\",\"version\":1,\"window_ms\":9223372036854775807,\"slide_ms\":1}",
           "{\"t\":\"header\",\"version\":1,\"window_ms\":10,\"slide_ms\":10,\"max_skew_ms\":-1}",
           "{\"t\":\"window\",\"start\":-9223372036854775808,\"end\":10,\"counts\":[]}",
           "{\"t\":\"window\",\"start\":0,\"end\":9223372036854775807,\"counts\":[]}",
       }) {
    INFO(bad);
    CHECK_FALSE(parser.parse(bad, parsed, why));
    CHECK_FALSE(why.empty());
  }
  // Fields it does not know are ignored: later minor versions may add some.
  REQUIRE(parser.parse(
      "{\"t\":\"window\",\"start\":0,\"end\":10,\"new\":{\"x\":[1]},\"counts\":[[\"#a\",2]]}", parsed, why));
  CHECK(parsed.counts.size() == 1);
}
