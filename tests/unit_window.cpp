// The windower against a brute-force recount that follows the issue's definition literally: every window
// is a map of its own, each record is added to each of its open windows, and emission walks window ends one
// slide at a time. Random streams cover disorder within and beyond the lateness, gaps and sliding windows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "brute_force.h"
#include "count/window.h"
#include "util/clock.h"
#include "util/serial.h"
#include "util/timefmt.h"

using namespace trendtop;

namespace {

using namespace brute;

Result run(const std::vector<Rec>& recs, int64_t W, int64_t L, int64_t lateness) {
  Windower w({W, L, lateness});
  Result r;
  Windower::Emit emit = [&](const ClosedWindow& c) {
    Out o{c.start, c.end, c.records, {}};
    c.counts.for_each([&](std::string_view k, uint64_t n) { o.counts[std::string(k)] = n; });
    r.windows.push_back(std::move(o));
    return true;
  };
  std::vector<std::string_view> views;
  for (const Rec& rec : recs) {
    views.assign(rec.keys.begin(), rec.keys.end());
    bool stopped = false;
    if (!w.process(rec.t, views, emit, stopped)) r.late++;
  }
  w.flush(emit);
  return r;
}

}  // namespace

TEST_CASE("window: tumbling windows emit in order with gaps and counts", "[window]") {
  // 10 s windows; records at 1s, 2s, 25s (a gap: [10,20) is empty), then 31s.
  std::vector<Rec> recs = {{1000, {"#a"}}, {2000, {"#a", "#b"}}, {25000, {"#b"}}, {31000, {}}};
  Result r = run(recs, 10'000, 10'000, 0);
  REQUIRE(r.windows.size() == 4);
  CHECK(r.windows[0] == Out{0, 10'000, 2, {{"#a", 2}, {"#b", 1}}});
  CHECK(r.windows[1] == Out{10'000, 20'000, 0, {}});
  CHECK(r.windows[2] == Out{20'000, 30'000, 1, {{"#b", 1}}});
  CHECK(r.windows[3] == Out{30'000, 40'000, 1, {}});
  CHECK(r.late == 0);
}

TEST_CASE("window: late record after close is dropped", "[window]") {
  // Window [0,10) closes when 10s arrives; a record at 5s after that is late with lateness 0...
  std::vector<Rec> recs = {{1000, {"#a"}}, {10'000, {"#b"}}, {5000, {"#late"}}};
  Result r = run(recs, 10'000, 10'000, 0);
  CHECK(r.late == 1);
  REQUIRE(r.windows.size() == 2);
  CHECK(r.windows[0] == Out{0, 10'000, 1, {{"#a", 1}}});
  // ...but with 6s of lateness the watermark is 4s and the record still counts.
  Result r2 = run(recs, 10'000, 10'000, 6000);
  CHECK(r2.late == 0);
  CHECK(r2.windows[0] == Out{0, 10'000, 2, {{"#a", 1}, {"#late", 1}}});
}

TEST_CASE("window: sliding windows hold a record window/slide times", "[window]") {
  // 30s window, 10s slide: a record at 15s lies in [-10,20), [0,30), [10,40).
  std::vector<Rec> recs = {{15'000, {"#x"}}};
  Result r = run(recs, 30'000, 10'000, 0);
  REQUIRE(r.windows.size() == 3);
  CHECK(r.windows[0] == Out{-10'000, 20'000, 1, {{"#x", 1}}});
  CHECK(r.windows[1] == Out{0, 30'000, 1, {{"#x", 1}}});
  CHECK(r.windows[2] == Out{10'000, 40'000, 1, {{"#x", 1}}});
}

TEST_CASE("window: a record partly late counts only in its open windows", "[window]") {
  // 20s/10s. 25s emits the window ending 20; a record at 12s then lies in [0,20) (emitted) and [10,30)
  // (open).
  std::vector<Rec> recs = {{5000, {"#a"}}, {25'000, {"#b"}}, {12'000, {"#c"}}};
  Result r = run(recs, 20'000, 10'000, 0);
  CHECK(r.late == 0);
  Result expect = brute_force(recs, 20'000, 10'000, 0);
  CHECK(r.windows == expect.windows);
  REQUIRE(r.windows.size() == 4);
  CHECK(r.windows[2] == Out{10'000, 30'000, 2, {{"#b", 1}, {"#c", 1}}});
}

TEST_CASE("window: negative times and epoch alignment", "[window]") {
  std::vector<Rec> recs = {{-1, {"#pre"}}, {0, {"#zero"}}};
  Result r = run(recs, 1000, 1000, 0);
  REQUIRE(r.windows.size() == 2);
  CHECK(r.windows[0] == Out{-1000, 0, 1, {{"#pre", 1}}});
  CHECK(r.windows[1] == Out{0, 1000, 1, {{"#zero", 1}}});
}

TEST_CASE("window: start_at emits empty windows from the start", "[window]") {
  Windower w({1000, 1000, 0});
  std::vector<int64_t> ends;
  Windower::Emit emit = [&](const ClosedWindow& c) {
    ends.push_back(c.end);
    return true;
  };
  w.start_at(5500);
  CHECK(w.next_end() == 6000);
  w.advance(8200, emit);
  CHECK(ends == std::vector<int64_t>{6000, 7000, 8000});
  w.flush(emit, 8200);  // the window holding "now" is printed at the end of input
  CHECK(ends == std::vector<int64_t>{6000, 7000, 8000, 9000});
}

TEST_CASE("window: emit can stop the run", "[window]") {
  Windower w({1000, 1000, 0});
  int seen = 0;
  Windower::Emit emit = [&](const ClosedWindow&) { return ++seen < 2; };
  std::vector<std::string_view> none;
  bool stopped = false;
  w.process(100, none, emit, stopped);
  w.process(5100, none, emit, stopped);
  CHECK(stopped);
  CHECK(seen == 2);
}

TEST_CASE("window: panes are released once no open window needs them", "[window]") {
  Windower w({60'000, 10'000, 0});
  Windower::Emit emit = [](const ClosedWindow&) { return true; };
  std::vector<std::string_view> keys = {"#k"};
  bool stopped = false;
  for (int64_t t = 0; t < 3'600'000; t += 500) w.process(t, keys, emit, stopped);
  CHECK(w.live_panes() <= 7);
}

TEST_CASE("window: random streams match the brute-force recount", "[window][property]") {
  std::mt19937_64 rng(GENERATE(1, 2, 3, 4, 5, 6, 7, 8));
  struct Shape {
    int64_t W, L, lateness;
  };
  for (Shape s : {Shape{1000, 1000, 0}, Shape{1000, 1000, 700}, Shape{3000, 1000, 0}, Shape{3000, 1000, 2500},
                  Shape{6000, 2000, 1000}, Shape{500, 250, 5000}}) {
    INFO("window " << s.W << " slide " << s.L << " lateness " << s.lateness);
    std::vector<Rec> recs = random_stream(rng, 2000, -5000, 40, 3000, 30);
    Result expect = brute_force(recs, s.W, s.L, s.lateness);
    Result got = run(recs, s.W, s.L, s.lateness);
    CHECK(got.late == expect.late);
    REQUIRE(got.windows.size() == expect.windows.size());
    for (size_t i = 0; i < got.windows.size(); ++i) {
      INFO("window #" << i << " end " << expect.windows[i].end);
      CHECK(got.windows[i] == expect.windows[i]);
    }
  }
}

TEST_CASE("window: runs of empty windows longer than max_gap are skipped, shorter ones emitted", "[window]") {
  // 10 s tumbling windows, 60 s limit: a record at 0, one at 60 s (5 empty windows between: emitted), one at
  // 1 000 s (93 empty windows between: skipped), then the end.
  Windower w({10'000, 10'000, 0, 60'000});
  std::vector<std::pair<int64_t, uint64_t>> seen;  // (end, skipped_before)
  Windower::Emit emit = [&](const ClosedWindow& c) {
    seen.emplace_back(c.end, c.skipped_before);
    return true;
  };
  bool stopped = false;
  std::vector<std::string_view> keys = {"#a"};
  w.process(0, keys, emit, stopped);
  w.process(60'000, keys, emit, stopped);
  CHECK(seen.size() == 6);  // [0,10) .. [50,60): the 50 s gap is printed
  w.process(1'000'000, keys, emit, stopped);
  CHECK(seen.size() == 7);  // [60,70); then [70,1000) is skipped
  CHECK(w.skipped_windows() == 93);
  CHECK(w.flush(emit));
  REQUIRE(seen.size() == 8);
  CHECK(seen.back() == std::pair<int64_t, uint64_t>{1'010'000, 93});
  // Partial results skip the same runs.
  Windower p({10'000, 10'000, 0, 60'000});
  p.process(0, keys, emit, stopped);
  p.process(900'000, keys, emit, stopped);
  int visited = 0;
  p.peek_open([&](const ClosedWindow&) { return ++visited, true; });
  CHECK(visited == 1);  // only [900,910) is open after the jump ([0,10) closed, the gap skipped)
}

TEST_CASE("window: a pane past max_keys becomes a Space-Saving summary with a bounded error", "[window]") {
  Windower w({10'000, 10'000, 0, 0, /*max_keys=*/4});
  bool stopped = false;
  Windower::Emit none = [](const ClosedWindow&) { return true; };
  for (const char* k : {"#a", "#a", "#a", "#a", "#a", "#b", "#b", "#b", "#c", "#d"}) {
    std::vector<std::string_view> keys = {k};
    w.process(1000, keys, none, stopped);
  }
  // The 4th distinct key filled the pane: the larger half (#a 5, #b 3) stays, #c and #d (1 each) go,
  // and the floor is 1. A key that comes (back) now starts at floor + 1.
  std::vector<std::string_view> e = {"#e"};
  w.process(2000, e, none, stopped);
  std::map<std::string, uint64_t> got;
  uint64_t error = 99;
  REQUIRE(w.flush([&](const ClosedWindow& c) {
    c.counts.for_each([&](std::string_view k, uint64_t n) { got[std::string(k)] = n; });
    error = c.max_error;
    return true;
  }));
  CHECK(error == 1);
  CHECK(got == std::map<std::string, uint64_t>{{"#a", 5}, {"#b", 3}, {"#e", 2}});
  // Every estimate is within [true, true + error] (#e occurred once), and the absent #c and #d occurred at
  // most `error` times (once each).
  // Under the cap nothing is approximate.
  Windower exact({10'000, 10'000, 0, 0, 100});
  std::vector<std::string_view> keys = {"#a"};
  exact.process(1000, keys, none, stopped);
  REQUIRE(exact.flush([&](const ClosedWindow& c) { return error = c.max_error, true; }));
  CHECK(error == 0);
}

TEST_CASE("window: arithmetic at the ends of the time range with the longest windows", "[window]") {
  // Records at the first and last millisecond a record may carry, windows of the longest duration an option
  // takes: every end and start computed from them stays exact (UBSan checks there is no overflow).
  const int64_t W = kMaxDuration;
  for (int64_t slide : {W, W / 366}) {
    for (int64_t gap : {int64_t{0}, W}) {
      if (slide != W && gap == 0) continue;  // 365 000 empty sliding windows: the tumbling case has them all
      Windower w({W, slide, kMaxDuration, gap});
      std::vector<std::pair<int64_t, uint64_t>> got;  // (end, records) of each window emitted
      Windower::Emit emit = [&](const ClosedWindow& c) {
        CHECK(c.end - c.start == W);
        CHECK(c.end % slide == 0);
        got.emplace_back(c.end, c.records);
        return true;
      };
      std::vector<std::string_view> keys = {"#k"};
      bool stopped = false;
      CHECK(w.process(kMinTime, keys, emit, stopped));
      CHECK(w.process(kMaxTime, keys, emit, stopped));
      CHECK(w.flush(emit));
      int64_t first = floor_to(kMinTime, slide) + slide, last = floor_to(kMaxTime, slide) + W;
      REQUIRE(!got.empty());
      CHECK(got.front() == std::pair<int64_t, uint64_t>{first, 1});
      CHECK(got.back() == std::pair<int64_t, uint64_t>{last, 1});
      uint64_t with_records = 0;
      for (auto [end, records] : got) with_records += records;
      CHECK(with_records == 2 * static_cast<uint64_t>(W / slide));  // each record in W/slide windows
      if (gap == 0) CHECK(got.size() == static_cast<size_t>((last - first) / slide + 1));
    }
  }
  // A state that claims times beyond the range (by more than the longest windows) is corrupt.
  for (int64_t t : {std::numeric_limits<int64_t>::max(), kMaxTime + 3 * kMaxDuration,
                    kMinTime - 3 * kMaxDuration, kNoTime + 1}) {
    Windower a({10'000, 10'000, 0});
    StateWriter out;
    a.save(out);
    std::string payload = out.payload();
    // max_time is the fourth i64 of the saved windower.
    for (int i = 0; i < 8; ++i) payload[24 + i] = static_cast<char>(static_cast<uint64_t>(t) >> (8 * i));
    StateReader in(payload);
    Windower b({10'000, 10'000, 0});
    CHECK_FALSE(b.load(in));
  }
}

TEST_CASE("window: a stop flag cuts a long run of windows short, and the rest follows later", "[window]") {
  volatile std::sig_atomic_t stop = 1;
  Windower w({1, 1, 0});  // 1 ms windows, no gap skipping: 20 000 windows between the two records
  w.stop_on(&stop);
  uint64_t emitted = 0, records = 0;
  Windower::Emit emit = [&](const ClosedWindow& c) {
    ++emitted;
    records += c.records;
    return true;
  };
  std::vector<std::string_view> keys = {"#k"};
  bool stopped = false;
  // A short run is never cut, flag or not.
  CHECK(w.process(0, keys, emit, stopped));
  CHECK(w.process(100, keys, emit, stopped));
  CHECK(emitted == 100);
  CHECK_FALSE(w.interrupted());
  // A long one is, after kStopCheckAfter windows; not a stop (--intervals), nothing lost.
  CHECK(w.process(20'100, keys, emit, stopped));
  CHECK_FALSE(stopped);
  CHECK(w.interrupted());
  CHECK(emitted == 100 + Windower::kStopCheckAfter);
  CHECK(w.next_end() == 100 + static_cast<int64_t>(Windower::kStopCheckAfter) + 1);
  // The same for peek_open.
  uint64_t peeked = 0;
  CHECK(w.peek_open([&](const ClosedWindow&) { return ++peeked, true; }));
  CHECK(peeked == Windower::kStopCheckAfter);
  // Without the flag, the run goes on where it stopped.
  stop = 0;
  CHECK(w.flush(emit));
  CHECK(emitted == 20'101);
  CHECK(records == 3);
}
