// Merger: random streams cut into any number of processes' partial streams merge into exactly what one
// pipeline over the whole prints — tumbling and sliding, gaps, spellings, trend ranking — whichever process
// holds which record.
#include <catch2/catch.hpp>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "input/framer.h"
#include "merge.h"
#include "pipeline.h"

using namespace trendtop;

namespace {

constexpr int64_t kT0 = 1609459200000;

std::string read_file(std::FILE* f) {
  std::string all;
  char buf[4096];
  ssize_t n;
  while ((n = pread(fileno(f), buf, sizeof buf, static_cast<off_t>(all.size()))) > 0) all.append(buf, n);
  return all;
}

struct Tweet {
  int64_t t;
  std::string tags;  // JSON array body
};

// Runs `tweets` through a pipeline with `config` into a temporary file (rewound, for reading).
std::FILE* run(const Config& config, const std::vector<Tweet>& tweets) {
  std::FILE* f = std::tmpfile();
  Output out(fileno(f));
  Pipeline p(config, out, kT0);
  std::string storage;
  for (const Tweet& tw : tweets) {
    storage =
        R"({"created_at":"Fri Jan 01 00:00:00 +0000 2021","user":{"id":1},"text":"x","entities":{"hashtags":[)" +
        tw.tags + R"(]},"timestamp_ms":")" + std::to_string(tw.t) + "\"}";
    size_t len = storage.size();
    storage.append(Framer::kPadding, ' ');
    Line l;
    l.text = std::string_view(storage.data(), len);
    p.line(l, kT0);
    p.flush();
  }
  p.finish(kT0);
  p.end_output();
  p.flush();
  std::rewind(f);
  return f;
}

}  // namespace

TEST_CASE("merge: random streams split across processes merge into the single run", "[merge]") {
  std::mt19937_64 rng(GENERATE(1, 2, 3, 4, 5, 6, 7, 8));
  const char* tags[] = {"a", "A", "b", "c", "dd", "D\u00e9", "de\u0301", "e"};
  // Records dealt at random (as Kafka partitions by key), or in contiguous pieces (as files are split) with
  // a jump in time between pieces, so that some windows are held by no process: the merge prints them
  // empty, as the single run does.
  size_t processes = 1 + rng() % 4;
  bool pieces = rng() % 2 == 0;
  constexpr size_t kTweets = 400;
  auto piece = [&](size_t i) { return i * processes / kTweets; };
  std::vector<Tweet> tweets;
  int64_t t = kT0 + static_cast<int64_t>(rng() % 5000);
  for (size_t i = 0; i < kTweets; ++i) {
    // Mostly small steps, now and then a jump over several windows.
    t += rng() % 50 == 0 ? static_cast<int64_t>(rng() % 60000) : static_cast<int64_t>(rng() % 700);
    if (pieces && i > 0 && piece(i) != piece(i - 1)) t += 45000;
    std::string body;
    for (unsigned k = 0, n = rng() % 4; k < n; ++k)
      body += std::string(k ? "," : "") + R"({"text":")" + tags[rng() % 8] + "\"}";
    tweets.push_back({t, body});
  }
  Config whole;
  whole.time = TimeMode::Event;
  whole.output = OutputFormat::Json;
  whole.top = 0;
  whole.threads = 1;
  auto shape = GENERATE(std::pair<int64_t, int64_t>{10000, 10000}, std::pair<int64_t, int64_t>{30000, 10000});
  whole.window_ms = shape.first;
  whole.slide_ms = shape.second;
  whole.rank = GENERATE(RankMode::Count, RankMode::Trend);
  std::FILE* single = run(whole, tweets);
  std::string expect = read_file(single);
  std::fclose(single);
  REQUIRE(!expect.empty());

  std::vector<std::vector<Tweet>> parts(processes);
  for (size_t i = 0; i < tweets.size(); ++i)
    parts[pieces ? piece(i) : rng() % processes].push_back(tweets[i]);
  Config partial = whole;
  partial.output = OutputFormat::Partial;
  std::vector<std::FILE*> files;
  for (const auto& part : parts) files.push_back(run(partial, part));

  std::FILE* merged = std::tmpfile();
  Output out(fileno(merged));
  Config options;
  options.output = OutputFormat::Json;
  options.top = 0;
  options.rank = whole.rank;
  Merger m(options, out);
  for (size_t i = 0; i < files.size(); ++i) m.add_input("p" + std::to_string(i), files[i]);
  REQUIRE(m.run());
  out.flush();
  CHECK(m.notes().empty());
  CHECK(m.stats().bad == 0);
  INFO("processes " << processes << (pieces ? " in pieces" : " dealt at random"));
  CHECK(read_file(merged) == expect);
  for (std::FILE* f : files) std::fclose(f);
  std::fclose(merged);
}

namespace {

// Merges partial streams given as text; the merged output in `out`, the result of run().
bool merge_texts(const std::vector<std::string>& streams, std::string& out, std::string& error,
                 std::vector<std::string>* notes = nullptr) {
  std::vector<std::FILE*> files;
  for (const std::string& s : streams) {
    std::FILE* f = std::tmpfile();
    std::fwrite(s.data(), 1, s.size(), f);
    std::rewind(f);
    files.push_back(f);
  }
  std::FILE* merged = std::tmpfile();
  Config options;
  options.top = 0;
  options.output = OutputFormat::Tsv;
  bool ok;
  {
    Output o(fileno(merged));
    Merger m(options, o);
    for (size_t i = 0; i < files.size(); ++i) m.add_input("p" + std::to_string(i), files[i]);
    ok = m.run();
    error = m.error();
    if (notes) *notes = m.notes();
    o.flush();
  }
  out = read_file(merged);
  for (std::FILE* f : files) std::fclose(f);
  std::fclose(merged);
  return ok;
}

// A partial stream of one run: its header (with `run` and `segment`), one [kT0, kT0 + 10s) window with
// `records` records and key #a counted `count` times, its end line.
std::string stream(std::string_view run, uint64_t segment, uint64_t records, uint64_t count,
                   std::string_view extra_header = "") {
  PartialHeader h;
  h.run = run;
  h.segment = segment;
  h.window_ms = h.slide_ms = 10000;
  h.time = "event";
  h.keys = "hashtags";
  h.count = "records";
  h.case_mode = "fold";
  h.extract = "auto";
  h.schema = "auto";
  h.max_line = 1 << 20;
  fmt::memory_buffer b;
  PartialWriter().header(h, b);
  std::string s = fmt::to_string(b);
  if (!extra_header.empty()) s.insert(s.size() - 2, extra_header);
  s += fmt::format(
      R"({{"t":"window","start":{},"end":{},"records":{},"keys":1,"exact":true,"counts":[["#a",{}]]}})"
      "\n",
      kT0, kT0 + 10000, records, count);
  s += R"({"t":"end","windows":1,"open":0})"
       "\n";
  return s;
}

const char* const kRunA = "0123456789abcdef0123456789abcdef";
const char* const kRunB = "fedcba9876543210fedcba9876543210";

}  // namespace

TEST_CASE("merge: the same partial stream twice is refused, a run's segments are not", "[merge]") {
  std::string out, error;
  CHECK(merge_texts({stream(kRunA, 0, 1, 1), stream(kRunB, 0, 2, 2)}, out, error));
  CHECK(out.find("\t#a\t3\t") != std::string::npos);
  CHECK_FALSE(merge_texts({stream(kRunA, 0, 1, 1), stream(kRunA, 0, 1, 1)}, out, error));
  CHECK(error == "'p0' and 'p1' hold the same partial stream (run " + std::string(kRunA) +
                     ", segment 0): given twice, its counts would be summed twice");
  CHECK_FALSE(merge_texts({stream(kRunA, 0, 1, 1) + stream(kRunA, 0, 1, 1)}, out, error));
  CHECK(error.find("'p0' holds the same partial stream twice") == 0);
  // Segments 0 and 1 of one run: a window both hold is one the resumed run printed again: merged once.
  std::vector<std::string> notes;
  CHECK(merge_texts({stream(kRunA, 0, 1, 1), stream(kRunA, 1, 1, 1)}, out, error, &notes));
  CHECK(out.find("\t#a\t1\t") != std::string::npos);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].find("'p1': 1 window that a resumed run printed again") != std::string::npos);
  // Streams without a run id (hand-made) are never taken for each other.
  CHECK(merge_texts({stream("", 0, 1, 1), stream("", 0, 1, 1)}, out, error));
  CHECK(out.find("\t#a\t2\t") != std::string::npos);
}

TEST_CASE("merge: sums past 2^64 - 1 are refused, up to it they are exact", "[merge]") {
  std::string out, error;
  const uint64_t half = uint64_t{1} << 63;
  CHECK(merge_texts({stream(kRunA, 0, 1, half), stream(kRunB, 0, 1, half - 1)}, out, error));
  CHECK(out.find("\t#a\t18446744073709551615\t0\t18446744073709551615\tnew") != std::string::npos);
  CHECK_FALSE(merge_texts({stream(kRunA, 0, 1, half), stream(kRunB, 0, 1, half)}, out, error));
  CHECK(error.find("'p1' line 2: the counts of window 2021-01-01T00:00:00Z..2021-01-01T00:00:10Z add up past "
                   "2^64 - 1") == 0);
  CHECK_FALSE(merge_texts({stream(kRunA, 0, half, 1), stream(kRunB, 0, half, 1)}, out, error));
  CHECK(error.find("the records of window") != std::string::npos);
}

TEST_CASE("merge: streams counted with other settings are refused, naming the first that differs",
          "[merge]") {
  std::string out, error;
  CHECK_FALSE(merge_texts({stream(kRunA, 0, 1, 1), stream(kRunB, 0, 1, 1, R"(,"lang":["en"])")}, out, error));
  // The later field wins over the writer's own "lang":[] (a reader takes the last of a repeated field).
  CHECK(error == "'p1' was counted with --lang 'en', 'p0' with no --lang: such windows cannot be merged");
  CHECK_FALSE(merge_texts({stream(kRunA, 0, 1, 1), stream(kRunB, 0, 1, 1, R"(,"exclude":"1 key, hash 00")")},
                          out, error));
  CHECK(error.find("--exclude/--exclude-file (1 key, hash 00), 'p0' with no --exclude/--exclude-file") !=
        std::string::npos);
}

TEST_CASE("merge: inputs that are no partial streams are refused, saying what they are", "[merge]") {
  std::string out, error;
  CHECK_FALSE(merge_texts({stream(kRunA, 0, 1, 1), ""}, out, error));
  CHECK(error ==
        "'p1' is empty: not a partial stream (trendtop --output partial writes a header line first)");
  CHECK_FALSE(merge_texts({"\n  \n"}, out, error));
  CHECK(error.find("'p0' is empty") == 0);
  CHECK_FALSE(merge_texts({R"({"created_at":"Fri Jan 01 00:00:00 +0000 2021","text":"#a","user":{"id":1}})"
                           "\n"},
                          out, error));
  CHECK(error ==
        "'p0' is not a partial stream: it has no header line, and its first line is a tweet or post: the "
        "input of trendtop --output partial, not its output");
  CHECK_FALSE(merge_texts({"hello\n"}, out, error));
  CHECK(error ==
        "'p0' is not a partial stream: it has no header line, and its first line is not a JSON object");
}
