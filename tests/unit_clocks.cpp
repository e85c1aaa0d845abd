// The sources' clocks (count/clocks.h): the run's watermark as the minimum over active sources, idleness,
// joining, closing and the lag limit, with hand-checked times; and the pipeline with two sources in turn
// against the same records from one, with and without parsing threads.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <unistd.h>

#include "count/clocks.h"
#include "input/framer.h"
#include "pipeline.h"
#include "util/clock.h"
#include "util/serial.h"

using namespace trendtop;

TEST_CASE("clocks: one source is its largest time minus the lateness", "[clocks]") {
  SourceClocks c(/*lateness*/ 2000, /*max_lag*/ 60'000, /*idle*/ 0);
  CHECK(c.watermark() == kNoTime);
  c.saw(0, 10'000);  // the default source joins with its first record
  CHECK(c.watermark() == 8000);
  c.saw(0, 9000);  // out of order: no step back
  CHECK(c.watermark() == 8000);
  c.saw(0, 15'000);
  CHECK(c.watermark() == 13'000);
}

TEST_CASE("clocks: the slowest active source holds the watermark", "[clocks]") {
  SourceClocks c(0, 60'000, 0);
  uint32_t a = c.open("a", false, 0), b = c.open("b", false, 0);
  c.joined(a);
  c.joined(b);
  c.saw(a, 10'000);
  // b has sent nothing: it holds the windows where it joined, within the lag limit of a's newest record
  CHECK(c.watermark() == 10'000 - 60'000);
  c.saw(b, 4000);
  CHECK(c.watermark() == 4000);
  c.saw(a, 20'000);
  CHECK(c.watermark() == 4000);
  c.saw(b, 12'000);
  CHECK(c.watermark() == 12'000);
  c.saw(b, 30'000);  // now a is the slowest
  CHECK(c.watermark() == 20'000);
  c.closed(a);  // a closed connection leaves for good
  CHECK(c.watermark() == 30'000);
  CHECK(c.open_count() == 1);
}

TEST_CASE("clocks: a source that joins late starts at the run's watermark", "[clocks]") {
  SourceClocks c(0, 60'000, 0);
  uint32_t a = c.open("a", false, 0);
  c.joined(a);
  c.saw(a, 50'000);
  CHECK(c.watermark() == 50'000);
  uint32_t b = c.open("b", false, 0);
  c.joined(b);
  c.saw(a, 70'000);
  CHECK(c.watermark() == 50'000);  // b holds at where it joined
  c.saw(b, 40'000);                // behind the watermark: its records are late, the watermark stays
  CHECK(c.watermark() == 50'000);
  c.saw(b, 65'000);
  CHECK(c.watermark() == 65'000);
  c.closed(b);
  CHECK(c.watermark() == 70'000);
  c.closed(a);  // none left: the newest record decides
  c.saw(SourceClocks::kNoSource, 90'000);
  CHECK(c.watermark() == 90'000);
}

TEST_CASE("clocks: an idle source leaves the minimum until its next record", "[clocks]") {
  SourceClocks c(0, 600'000, /*idle*/ 1000);
  uint32_t a = c.open("a", false, 0), b = c.open("b", false, 0);
  c.joined(a);
  c.joined(b);
  c.touched(a, 100);
  c.saw(a, 10'000);
  c.touched(b, 100);
  c.saw(b, 5000);
  CHECK(c.watermark() == 5000);
  CHECK(c.next_idle() == 1100);
  c.touched(a, 1000);
  c.saw(a, 20'000);
  CHECK(!c.idle(1099));
  CHECK(c.idle(1100));  // b: quiet for 1 s
  CHECK(c.watermark() == 20'000);
  CHECK(c.next_idle() == 2000);  // a's, b is out
  c.touched(b, 1500);
  c.saw(b, 25'000);  // back, and ahead
  CHECK(c.watermark() == 20'000);
  c.saw(a, 30'000);
  CHECK(c.watermark() == 25'000);
}

TEST_CASE("clocks: the watermark stays within the lag limit of the newest record", "[clocks]") {
  SourceClocks c(1000, /*max_lag*/ 10'000, 0);
  uint32_t a = c.open("a", false, 0), b = c.open("b", false, 0);
  c.joined(a);
  c.joined(b);
  c.saw(b, 2000);
  c.saw(a, 5000);
  CHECK(c.watermark() == 1000);
  c.saw(a, 50'000);  // b is 48 s behind: the limit lets the watermark trail the newest by 10 s + lateness
  CHECK(c.watermark() == 39'000);
  c.saw(b, 45'000);
  CHECK(c.watermark() == 44'000);
}

TEST_CASE("clocks: lag limit 0 is one clock for the run", "[clocks]") {
  SourceClocks c(1000, 0, 0);
  uint32_t a = c.open("a", false, 0), b = c.open("b", false, 0);
  c.joined(a);
  c.joined(b);
  c.saw(a, 50'000);
  CHECK(c.watermark() == 49'000);
  c.saw(b, 2000);
  CHECK(c.watermark() == 49'000);
}

TEST_CASE("clocks: closed slots are reused; resumable clocks come back by name", "[clocks]") {
  SourceClocks c(0, 600'000, 0);
  uint32_t a = c.open("kafka t[0]", true, 0), b = c.open("kafka t[1]", true, 0);
  c.joined(a);
  c.joined(b);
  c.saw(a, 7000);
  c.saw(b, 3000);
  auto saved = c.resumable();
  REQUIRE(saved.size() == 2);
  c.closed(a);
  uint32_t again = c.open("listen x", false, 0);
  CHECK(again == a);
  CHECK(c.sources().size() == 3);  // the default slot and two

  SourceClocks d(0, 600'000, 0);
  d.restore(3000, 7000);
  for (auto& [name, t] : saved) d.restore_source(name, t);
  uint32_t p1 = d.open("kafka t[1]", true, 0);
  d.joined(p1);
  CHECK(d.watermark() == 3000);
  d.saw(p1, 4000);
  CHECK(d.watermark() == 4000);
  uint32_t p0 = d.open("kafka t[0]", true, 0);
  d.joined(p0);  // comes back with its largest time: 7000, not held at the watermark
  d.saw(p1, 9000);
  CHECK(d.watermark() == 7000);
  CHECK(d.resumable().size() == 2);
}

namespace {

struct Captured {
  FILE* file = std::tmpfile();
  Output output{fileno(file)};
  ~Captured() { std::fclose(file); }
  std::string all() {
    std::string s;
    char buf[4096];
    ssize_t n;
    while ((n = pread(fileno(file), buf, sizeof buf, static_cast<off_t>(s.size()))) > 0) s.append(buf, n);
    return s;
  }
};

struct TweetLine {
  std::string storage;
  Line line;
  TweetLine(int64_t t, const std::string& tag) {
    storage =
        R"({"created_at":"Fri Jan 01 00:00:00 +0000 2021","user":{"id":1},"text":"x","entities":{"hashtags":[{"text":")" +
        tag + R"("}]},"timestamp_ms":")" + std::to_string(t) + "\"}";
    size_t len = storage.size();
    storage.append(Framer::kPadding, ' ');
    line.text = std::string_view(storage.data(), len);
  }
};

// Two producers, each in time order, interleaved in chunks: what one in-order stream of the same records
// prints, with no record late. `one_clock` runs the same with --max-source-lag 0.
std::string two_sources(unsigned threads, bool one_clock, uint64_t& late) {
  constexpr int64_t kT0 = 1609459200000;
  Config c;
  c.output = OutputFormat::Json;
  c.time = TimeMode::Event;
  c.max_skew_ms = 0;
  c.threads = threads;
  c.batch_bytes = 512;
  if (one_clock) c.max_source_lag_ms = 0;
  Captured out;
  {
    Pipeline p(c, out.output, 0, 0);
    uint32_t a = p.open_source("a", false, 0), b = p.open_source("b", false, 0);
    // a sends its 60 s (even seconds) in chunks of 20 s, then b its (odd seconds) likewise.
    for (int chunk = 0; chunk < 3; ++chunk) {
      for (uint32_t src : {a, b}) {
        p.from_source(src, 0);
        for (int i = 0; i < 10; ++i) {
          int64_t t = kT0 + chunk * 20'000 + i * 2000 + (src == b ? 1000 : 0);
          p.line(TweetLine(t, src == a ? "even" : "odd").line, 0);
        }
        p.flush();
      }
    }
    p.close_source(a);
    p.close_source(b);
    p.finish(0);
    p.flush();
    late = p.stats().late;
  }
  return out.all();
}

}  // namespace

TEST_CASE("clocks: two sources out of step lose nothing, whatever the threads", "[clocks][pipeline]") {
  uint64_t late1 = 0, late3 = 0, late_one = 0;
  std::string serial = two_sources(1, false, late1);
  std::string threaded = two_sources(3, false, late3);
  CHECK(late1 == 0);
  CHECK(late3 == 0);
  CHECK(serial == threaded);
  // Each of the six 10 s windows holds 5 of each.
  size_t windows = 0;
  for (size_t at = serial.find("\"window_end\""); at != std::string::npos;
       at = serial.find("\"window_end\"", at + 1))
    ++windows;
  CHECK(windows == 6);
  CHECK(serial.find(R"("records":10,)") != std::string::npos);
  CHECK(serial.find(R"({"key":"#even","count":5,)") != std::string::npos);
  CHECK(serial.find(R"({"key":"#odd","count":5,)") != std::string::npos);
  // One clock: b's first chunk comes after a's, behind a's newest record: the old behaviour.
  two_sources(1, true, late_one);
  CHECK(late_one > 0);
}

TEST_CASE("clocks: --state keeps the clocks of sources that come back", "[clocks][pipeline]") {
  constexpr int64_t kT0 = 1609459200000;
  Config c;
  c.output = OutputFormat::Json;
  c.time = TimeMode::Event;
  c.max_skew_ms = 0;
  Captured out;
  StateWriter w;
  {
    Pipeline p(c, out.output, 0, 0);
    uint32_t fast = p.open_source("kafka t[0]", true, 0), slow = p.open_source("kafka t[1]", true, 0);
    p.from_source(fast, 0);
    for (int i = 0; i < 30; ++i) p.line(TweetLine(kT0 + i * 1000, "fast").line, 0);
    p.from_source(slow, 0);
    for (int i = 0; i < 5; ++i) p.line(TweetLine(kT0 + i * 1000, "slow").line, 0);
    p.flush();
    CHECK(p.stats().windows == 0);  // the slow partition holds the first window open (at 4 s)
    p.sync();
    p.save(w);
  }
  // The restart: the partitions come back (assigned together), the slow one with its clock, so the fast
  // one's records do not close the windows the slow one is still in.
  Pipeline q(c, out.output, 0, 0);
  StateReader in(w.payload());
  std::string err;
  REQUIRE(q.load(in, err));
  uint32_t slow = q.open_source("kafka t[1]", true, 0), fast = q.open_source("kafka t[0]", true, 0);
  q.from_source(fast, 0);
  q.line(TweetLine(kT0 + 31'000, "fast").line, 0);
  q.flush();
  CHECK(q.stats().windows == 0);
  q.from_source(slow, 0);
  for (int i = 5; i < 12; ++i) q.line(TweetLine(kT0 + i * 1000, "slow").line, 0);
  q.flush();
  CHECK(q.stats().late == 0);
  CHECK(q.stats().windows == 1);  // the slow partition passed 10 s
  // A state without the clocks (version 6: cut before them, and before version 8's count of more held
  // jumps) loads, and its watermark is the newest record's, as one clock had it.
  std::string v6 = w.payload().substr(0, w.payload().size() - (8 + 8 + 2 * (8 + 10 + 8)) - 8);
  Pipeline r(c, out.output, 0, 0);
  StateReader in6(v6);
  REQUIRE(r.load(in6, err));
  uint32_t slow6 = r.open_source("kafka t[1]", true, 0);
  r.from_source(slow6, 0);
  r.line(TweetLine(kT0 + 5000, "slow").line, 0);
  r.flush();
  // (Nothing was emitted yet: not late itself, but the watermark, 29 s, closes the first two windows.)
  CHECK(r.stats().late == 0);
  CHECK(r.stats().windows == 2);
}

namespace {

// --max-skew's held jumps with two sources, b far behind a (10 s windows: a jump is more than 30 s ahead of
// its source). Returns the output; the counters in `s`.
std::string held_two_sources(unsigned threads, Stats& s) {
  constexpr int64_t kT0 = 1609459200000, kNow = kT0 + 600'000;
  Config c;
  c.output = OutputFormat::Json;
  c.time = TimeMode::Event;
  c.threads = threads;
  c.batch_bytes = 512;
  Captured out;
  {
    Pipeline p(c, out.output, kNow, 0);
    uint32_t a = p.open_source("a", false, kNow), b = p.open_source("b", false, kNow);
    auto send = [&](uint32_t src, int from, int to, const char* tag) {
      p.from_source(src, kNow);
      for (int i = from; i <= to; ++i) p.line(TweetLine(kT0 + i * 1000, tag).line, kNow);
      p.flush();
    };
    // A lone spike in b, 70 s ahead of b but behind a's newest: held, and b's next record contradicts it.
    send(a, 0, 120, "a");
    send(b, 0, 30, "b");
    send(b, 100, 100, "spike");
    send(b, 31, 60, "b");
    // A genuine jump in a (a gap: 130 s to 300 s), records of b far behind it in between: a's next record
    // confirms it.
    send(a, 300, 300, "gap");
    send(b, 61, 70, "b");
    send(a, 301, 310, "a");
    p.close_source(a);
    p.close_source(b);
    p.finish(kNow);
    p.flush();
    s = p.stats();
  }
  return out.all();
}

}  // namespace

TEST_CASE("clocks: a held jump is judged by its own source's clock and decided by its next record",
          "[clocks][pipeline]") {
  Stats s1, s3;
  std::string serial = held_two_sources(1, s1);
  std::string threaded = held_two_sources(3, s3);
  CHECK(serial == threaded);
  CHECK(s1.skewed == 1);  // the spike
  CHECK(s1.late == 0);
  CHECK(s1.held == 0);
  CHECK(s1.counted == 121 + 71 + 1 + 10);
  CHECK(serial.find("spike") == std::string::npos);
  CHECK(serial.find("#gap") != std::string::npos);
  CHECK(s3.skewed == 1);
  CHECK(s3.late == 0);
}

TEST_CASE("clocks: held jumps of several sources stay in the state, each decided by its own source's name",
          "[clocks][pipeline]") {
  constexpr int64_t kT0 = 1609459200000, kNow = kT0 + 600'000;
  Config c;
  c.output = OutputFormat::Json;
  c.time = TimeMode::Event;
  Captured out;
  StateWriter w;
  {
    Pipeline p(c, out.output, kNow, 0);
    uint32_t a = p.open_source("a", false, kNow), b = p.open_source("b", false, kNow);
    p.from_source(a, kNow);
    for (int i = 0; i <= 40; ++i) p.line(TweetLine(kT0 + i * 1000, "a").line, kNow);
    p.line(TweetLine(kT0 + 200'000, "gap").line, kNow);  // held: 160 s ahead of a
    p.from_source(b, kNow);
    for (int i = 0; i <= 10; ++i) p.line(TweetLine(kT0 + i * 1000, "b").line, kNow);
    p.line(TweetLine(kT0 + 100'000, "spike").line, kNow);  // held: 90 s ahead of b
    p.flush();
    CHECK(p.stats().held == 2);
    p.close_source(a);  // its connection ends: its jump stays, waiting for a stream of its name
    p.sync();
    CHECK(p.stats().held == 2);
    p.save(w);
  }
  Pipeline q(c, out.output, kNow, 0);
  StateReader in(w.payload());
  std::string err;
  REQUIRE(q.load(in, err));
  CHECK(q.stats().held == 2);
  uint32_t b = q.open_source("b", false, kNow), a = q.open_source("a", false, kNow);
  q.from_source(b, kNow);
  q.line(TweetLine(kT0 + 11'000, "b").line, kNow);  // contradicts b's spike, says nothing of a's gap
  q.flush();
  CHECK(q.stats().skewed == 1);
  CHECK(q.stats().held == 1);
  q.from_source(a, kNow);
  q.line(TweetLine(kT0 + 201'000, "a").line, kNow);  // confirms a's
  q.flush();
  CHECK(q.stats().skewed == 1);
  CHECK(q.stats().held == 0);
  CHECK(q.stats().late == 0);
  CHECK(q.stats().counted == 41 + 1 + 11 + 1 + 1);
}
