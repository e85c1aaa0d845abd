// Parsing on N threads must not change a single byte of output: random streams (disorder within and beyond
// the lateness, gaps, malformed, blank and notice lines) through the whole pipeline with 1, 2 and 7 threads
// and random batch sizes give identical output and counters, and the windows of the brute-force recount.
#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <fcntl.h>
#include <simdjson.h>
#include <unistd.h>

#include "brute_force.h"
#include "count/count_map.h"
#include "extract/parallel.h"
#include "input/framer.h"
#include "pipeline.h"

using namespace trendtop;

namespace {

constexpr int64_t kBase = 1609459200000;

std::string tweet_json(const brute::Rec& r) {
  std::string json =
      R"({"created_at":"Fri Jan 01 00:00:00 +0000 2021","user":{"id":1},"entities":{"hashtags":[)";
  for (size_t i = 0; i < r.keys.size(); ++i) {
    if (i > 0) json += ',';
    json += R"({"text":")";
    json.append(r.keys[i], 1);  // without the '#'
    json += R"("})";
  }
  json += R"(]},"timestamp_ms":")";
  json += std::to_string(r.t);
  json += "\"}";
  return json;
}

struct Run {
  std::string output;
  Stats stats;
};

// Feeds the lines one by one, as a reader would, and returns what was printed.
Run run_pipeline(const std::vector<std::string>& lines, Config c, unsigned threads, size_t batch_bytes) {
  c.threads = threads;
  c.batch_bytes = batch_bytes;
  c.max_skew_ms = 0;  // fake arrival times; the brute-force recount knows no skew rules
  FILE* f = std::tmpfile();
  Output out(fileno(f));
  Run r;
  {
    Pipeline p(c, out, 0, 0);
    std::string padded;
    for (size_t i = 0; i < lines.size(); ++i) {
      padded = lines[i];
      padded.append(Framer::kPadding, ' ');
      p.line({Line::Kind::Text, std::string_view(padded.data(), lines[i].size())}, 0);
      if (i % 97 == 0) p.flush();  // the reader flushes between reads
    }
    p.finish(0);
    p.flush();
    r.stats = p.stats();
  }
  char buf[65536];
  ssize_t n;
  off_t at = 0;
  while ((n = pread(fileno(f), buf, sizeof buf, at)) > 0)
    r.output.append(buf, static_cast<size_t>(n)), at += n;
  std::fclose(f);
  return r;
}

// The JSON windows as brute-force results.
std::vector<brute::Out> parse_windows(const std::string& json) {
  std::vector<brute::Out> windows;
  simdjson::dom::parser parser;
  size_t pos = 0;
  while (pos < json.size()) {
    size_t nl = json.find('\n', pos);
    simdjson::dom::element w = parser.parse(json.substr(pos, nl - pos));
    brute::Out o{0, 0, uint64_t(w["records"]), {}};
    for (simdjson::dom::element k : w["top"])
      o.counts[std::string(std::string_view(k["key"]))] = uint64_t(k["count"]);
    windows.push_back(o);
    pos = nl + 1;
  }
  return windows;
}

}  // namespace

TEST_CASE("parallel: output does not depend on threads or batch sizes, and matches a brute-force recount",
          "[parallel]") {
  std::mt19937_64 rng(2026);
  for (int round = 0; round < 12; ++round) {
    int64_t slide = 1000 * (1 + static_cast<int64_t>(rng() % 5));
    int64_t window = slide * (1 + static_cast<int64_t>(rng() % 4));
    int64_t lateness = (rng() % 3) * 1500;
    auto recs = brute::random_stream(rng, 3000, kBase, 400, 6000, 40);
    std::vector<std::string> lines;
    std::uniform_int_distribution<int> noise(0, 99);
    for (const auto& r : recs) {
      int n = noise(rng);
      if (n == 0) lines.push_back("{\"broken\": ");
      if (n == 1) lines.push_back("  ");
      if (n == 2) lines.push_back(R"({"delete":{"status":{"id":1}}})");
      lines.push_back(tweet_json(r));
    }
    Config c;
    c.window_ms = window;
    c.slide_ms = slide;
    c.lateness_ms = lateness;
    c.top = 0;
    c.output = OutputFormat::Json;
    c.time = TimeMode::Event;
    INFO("round " << round << " window " << window << " slide " << slide << " lateness " << lateness);

    Run serial = run_pipeline(lines, c, 1, 1 << 20);
    brute::Result expected = brute::brute_force(recs, window, slide, lateness);
    std::vector<brute::Out> got = parse_windows(serial.output);
    REQUIRE(got.size() == expected.windows.size());
    for (size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].records == expected.windows[i].records);
      CHECK(got[i].counts == expected.windows[i].counts);
    }
    CHECK(serial.stats.late == expected.late);
    CHECK(serial.stats.lines == lines.size());

    for (unsigned threads : {2u, 7u}) {
      size_t batch = 1 + rng() % 20000;  // from one line per batch to a few hundred
      INFO(threads << " threads, batches of " << batch << " bytes");
      Run parallel = run_pipeline(lines, c, threads, batch);
      CHECK(parallel.output == serial.output);
      CHECK(parallel.stats.lines == serial.stats.lines);
      CHECK(parallel.stats.counted == serial.stats.counted);
      CHECK(parallel.stats.late == serial.stats.late);
      CHECK(parallel.stats.malformed == serial.stats.malformed);
      CHECK(parallel.stats.skipped == serial.stats.skipped);
      CHECK(parallel.stats.blank == serial.stats.blank);
      CHECK(parallel.stats.keys == serial.stats.keys);
    }
  }
}

TEST_CASE("parallel: --intervals stops at the same record whatever the threads", "[parallel]") {
  std::mt19937_64 rng(7);
  auto recs = brute::random_stream(rng, 2000, kBase, 300, 0, 10);
  std::vector<std::string> lines;
  for (const auto& r : recs) lines.push_back(tweet_json(r));
  Config c;
  c.output = OutputFormat::Json;
  c.intervals = 5;
  Run serial = run_pipeline(lines, c, 1, 1 << 20);
  Run parallel = run_pipeline(lines, c, 3, 700);
  CHECK(serial.stats.windows == 5);
  CHECK(parallel.output == serial.output);
  CHECK(parallel.stats.lines == serial.stats.lines);
}

TEST_CASE("parallel: a pool extracts in submission order and recycles its batches", "[parallel]") {
  Config c;
  c.extract = ExtractMode::Entities;
  ExtractPool pool(3, c, 200);
  std::vector<std::string> lines;
  for (int i = 0; i < 500; ++i)
    lines.push_back(tweet_json({kBase + i, {"#t" + std::to_string(i)}}) + std::string(Framer::kPadding, ' '));
  size_t next = 0, seen = 0;
  auto take = [&](bool wait) {
    while (Batch* b = pool.front(wait)) {
      for (size_t i = 0; i < b->out.size(); ++i, ++seen) {
        REQUIRE(b->out[i].kind == ExtractedLine::Kind::Tweet);
        REQUIRE(b->out[i].time_ms == kBase + static_cast<int64_t>(seen));
        REQUIRE(b->out[i].key_count == 1);
        CHECK(b->keys[b->out[i].first_key] == "#t" + std::to_string(seen));
        CHECK(b->hashes[b->out[i].first_key] == hash_key(b->keys[b->out[i].first_key]));
      }
      pool.pop();
    }
  };
  for (; next < lines.size(); ++next) {
    std::string_view text(lines[next].data(), lines[next].size() - Framer::kPadding);
    if (pool.add({Line::Kind::Text, text}, 0)) pool.submit();
    if (pool.in_flight() >= pool.max_in_flight()) take(true);
  }
  pool.submit();
  take(true);
  CHECK(seen == lines.size());
  CHECK_FALSE(pool.pending());
}

TEST_CASE("parallel: many small reads never pile up more batches than the bound", "[parallel]") {
  // Regression: flush() after every small read (a slow pipe) submitted a batch each time without waiting,
  // so a fast producer grew memory without bound.
  std::mt19937_64 rng(3);
  auto recs = brute::random_stream(rng, 5000, kBase, 300, 0, 10);
  Config c;
  c.threads = 2;
  c.output = OutputFormat::Json;
  FILE* f = std::tmpfile();
  Output out(fileno(f));
  Pipeline p(c, out, 0, 0);
  size_t most = 0;
  std::string padded;
  for (const auto& r : recs) {
    std::string json = tweet_json(r);
    padded = json + std::string(Framer::kPadding, ' ');
    p.line({Line::Kind::Text, std::string_view(padded.data(), json.size())}, 0);
    p.flush();  // one line per read
    most = std::max(most, p.batches_in_flight());
  }
  p.finish(0);
  p.flush();
  CHECK(most <= p.max_batches_in_flight());
  CHECK(p.stats().lines == recs.size());
  std::fclose(f);
}

TEST_CASE("parallel: an oversized line (no bytes) goes through a batch as Oversized", "[parallel]") {
  // Regression: copying its empty text passed a null pointer to memcpy (UBSan, a --listen run).
  Config c;
  ExtractPool pool(1, c, 1 << 20);
  std::string t = tweet_json({kBase, {"#a"}}) + std::string(Framer::kPadding, ' ');
  pool.add({Line::Kind::Oversized, {}}, 0);
  pool.add({Line::Kind::Text, std::string_view(t.data(), t.size() - Framer::kPadding)}, 0);
  pool.submit();
  Batch* b = pool.front(true);
  REQUIRE(b != nullptr);
  REQUIRE(b->out.size() == 2);
  CHECK(b->out[0].kind == ExtractedLine::Kind::Oversized);
  CHECK(b->out[1].kind == ExtractedLine::Kind::Tweet);
  pool.pop();
}

TEST_CASE("parallel: a file read by ranges on the parsing threads counts as its lines one by one",
          "[parallel]") {
  // The reader hands out consecutive ranges (input/range.h); the parsing threads (and the caller, when they
  // fall behind) read and frame them. Same output and counters as the lines handed in one at a time.
  std::mt19937_64 rng(20);
  auto recs = brute::random_stream(rng, 3000, kBase, 400, 6000, 40);
  std::vector<std::string> lines;
  std::string bytes;
  for (const auto& r : recs) {
    int n = static_cast<int>(rng() % 50);
    if (n == 0) lines.push_back("{\"broken\": ");
    if (n == 1) lines.push_back(" \r");
    lines.push_back(tweet_json(r));
  }
  for (size_t i = 0; i < lines.size(); ++i) bytes += lines[i] + (i % 3 == 0 ? "\r\n" : "\n");
  std::vector<std::string> framed;  // what a framer hands in: without the line end and one trailing "\r"
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    framed.push_back(i % 3 != 0 && !l.empty() && l.back() == '\r' ? l.substr(0, l.size() - 1) : l);
  }
  Config c;
  c.window_ms = c.slide_ms = 2000;
  c.lateness_ms = 1500;
  c.top = 0;
  c.output = OutputFormat::Json;
  c.time = TimeMode::Event;
  Run serial = run_pipeline(framed, c, 1, 1 << 20);

  char name[] = "/tmp/trendtop_unit_parallel_XXXXXX";
  int fd = mkstemp(name);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  for (unsigned threads : {2u, 7u}) {
    Config t = c;
    t.threads = threads;
    t.max_skew_ms = 0;
    t.read_range = 1 + rng() % 5000;
    INFO(threads << " threads, ranges of " << t.read_range << " bytes");
    FILE* f = std::tmpfile();
    Output out(fileno(f));
    Run r;
    {
      Pipeline p(t, out, 0, 0);
      REQUIRE(p.reads_ranges());
      auto file = std::make_shared<RangeFile>(::open(name, O_RDONLY | O_CLOEXEC), name);
      for (uint64_t at = 0; at < bytes.size(); at += t.read_range) {
        p.range(file, at, std::min<uint64_t>(at + t.read_range, bytes.size()), 0);
        p.flush();  // the reader flushes after each range
        CHECK(p.batches_in_flight() <= p.max_batches_in_flight());
      }
      p.finish(0);
      p.flush();
      r.stats = p.stats();
    }
    char buf[65536];
    ssize_t n;
    off_t at = 0;
    while ((n = pread(fileno(f), buf, sizeof buf, at)) > 0)
      r.output.append(buf, static_cast<size_t>(n)), at += n;
    std::fclose(f);
    CHECK(r.output == serial.output);
    CHECK(r.stats.lines == lines.size());
    CHECK(r.stats.lines == serial.stats.lines);
    CHECK(r.stats.counted == serial.stats.counted);
    CHECK(r.stats.late == serial.stats.late);
    CHECK(r.stats.malformed == serial.stats.malformed);
    CHECK(r.stats.blank == serial.stats.blank);
    CHECK(r.stats.bytes == bytes.size());
  }
  ::close(fd);
  std::remove(name);
}
