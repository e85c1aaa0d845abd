#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "count/rank.h"

using namespace trendtop;

namespace {
CountMap counts(std::initializer_list<std::pair<const char*, uint64_t>> kv) {
  CountMap m;
  for (auto [k, v] : kv) m.add(k, v);
  return m;
}
}  // namespace

TEST_CASE("rank: the trend score on hand-computed cases", "[rank]") {
  CHECK(trend_score(2, 0) == Approx(2 / std::sqrt(5.0)));          // 0.894
  CHECK(trend_score(900, 200) == Approx(700 / std::sqrt(205.0)));  // 48.9
  CHECK(trend_score(2, 0) < trend_score(900, 200));                // the example
  CHECK(trend_score(50, 50) == 0);                                 // steady: nothing to see
  CHECK(trend_score(10'100, 10'000) < trend_score(30, 5));         // a giant's noise vs a small key's burst
  CHECK(trend_score(1, 4) < 0);                                    // falling
}

TEST_CASE("rank: the baseline is a weighted mean of the windows before, forgetting faded keys", "[rank]") {
  Baseline b(0.5);  // each window weighs half the next one; the baseline is 2 windows long: sweep every one
  CHECK(b.mean("#a") == 0);
  b.add_window(counts({{"#a", 4}}));
  CHECK(b.mean("#a") == Approx(4.0));
  b.add_window(counts({{"#a", 2}, {"#b", 1}}));
  // #a: (4 * 0.5 + 2) / (0.5 + 1); #b: 1 / 1.5
  CHECK(b.mean("#a") == Approx(4.0 / 1.5));
  CHECK(b.mean("#b") == Approx(1.0 / 1.5));
  b.add_window(CountMap{});  // an empty window counts too
  CHECK(b.mean("#a") == Approx(2.0 / 1.75));
  CHECK(b.mean("#b") == Approx(0.5 / 1.75));
  CHECK(b.keys() == 2);  // #b's weighted count is 0.5: kept
  b.add_window(CountMap{});
  CHECK(b.keys() == 1);  // #b at 0.25: forgotten
  CHECK(b.mean("#b") == 0);
  CHECK(b.mean("#a") == Approx(1.0 / 1.875));
  b.add_window(CountMap{});
  b.add_window(CountMap{});
  CHECK(b.keys() == 0);  // #a: 1, 0.5, 0.25
  CHECK(b.windows() == 6);
  // Spelling markers are not keys.
  b.add_window(counts({{"\x1e#a\x1f#A", 3}, {"#a", 3}}), '\x1e');
  CHECK(b.keys() == 1);
}

TEST_CASE("rank: trend ranks the riser above the steady giant; both modes report the previous window",
          "[rank]") {
  for (RankMode mode : {RankMode::Count, RankMode::Trend}) {
    Ranker r(mode, 3'600'000, 10'000);
    std::vector<RankedKey> top;
    for (int i = 0; i < 5; ++i) {
      CountMap w = counts({{"#big", 100}, {"#small", 2}, {"#gone", 1}});
      r.rank(w, 10, 1, top);
      r.closed(w, top);
    }
    CountMap w = counts({{"#big", 104}, {"#small", 12}, {"#new", 1}});
    r.rank(w, 10, 1, top);
    REQUIRE(top.size() == 3);
    if (mode == RankMode::Count) {
      CHECK(top[0].key == "#big");
      CHECK(top[1].key == "#small");
      CHECK(top[1].prev_rank == 2);
    } else {
      // #small: (12 - 2) / sqrt(7) = 3.78; #big: (104 - 100) / sqrt(105) = 0.39; #new: 1 / sqrt(5) = 0.45.
      CHECK(top[0].key == "#small");
      CHECK(top[0].score == Approx(10 / std::sqrt(7.0)));
      CHECK(top[0].baseline == Approx(2.0));
      CHECK(top[1].key == "#new");
      CHECK(top[2].key == "#big");
      CHECK(top[2].score == Approx(4 / std::sqrt(105.0)));
      // In the steady windows all scored 0 and tied: count order, so #small was 2nd.
      CHECK(top[0].prev_rank == 2);
      CHECK(top[2].prev_rank == 1);
    }
    for (const RankedKey& k : top) {
      if (k.key == "#small") CHECK(k.prev == 2);
      if (k.key == "#big") CHECK(k.prev == 100);
      if (k.key == "#new") CHECK((k.prev == 0 && k.prev_rank == 0));
    }
  }
}

TEST_CASE("rank: --min-count, --top and ties in trend order", "[rank]") {
  Ranker r(RankMode::Trend, 60'000, 10'000);
  std::vector<RankedKey> top;
  CountMap w = counts({{"#b", 3}, {"#a", 3}, {"#c", 5}, {"#d", 1}, {"\x1e#c\x1f#C", 5}});
  r.rank(w, 2, 2, top, '\x1e');
  REQUIRE(top.size() == 2);
  CHECK(top[0].key == "#c");  // no history: the score follows the count
  CHECK(top[1].key == "#a");  // tie with #b: key order
  r.rank(w, 0, 2, top, '\x1e');
  CHECK(top.size() == 3);  // #d is under --min-count, the marker is no key
}

TEST_CASE("rank: a ranker saved and loaded ranks the same", "[rank]") {
  Ranker a(RankMode::Trend, 120'000, 10'000);
  std::vector<RankedKey> top;
  for (int i = 0; i < 30; ++i) {
    CountMap w;
    for (int k = 0; k < 50; ++k)
      if ((k * 7 + i) % 3 != 0) w.add("#k" + std::to_string(k), static_cast<uint64_t>(1 + (k * i) % 11));
    a.rank(w, 5, 1, top);
    a.closed(w, top);
  }
  StateWriter out;
  a.save(out);
  Ranker b(RankMode::Trend, 120'000, 10'000);
  StateReader in(out.payload());
  REQUIRE(b.load(in));
  CHECK(in.at_end());
  CountMap w = counts({{"#k1", 9}, {"#k2", 1}, {"#k3", 30}, {"#fresh", 4}});
  std::vector<RankedKey> ta, tb;
  a.rank(w, 0, 1, ta);
  b.rank(w, 0, 1, tb);
  REQUIRE(ta.size() == tb.size());
  for (size_t i = 0; i < ta.size(); ++i) {
    CHECK(ta[i].key == tb[i].key);
    CHECK(ta[i].score == tb[i].score);  // bit for bit
    CHECK(ta[i].prev == tb[i].prev);
    CHECK(ta[i].prev_rank == tb[i].prev_rank);
  }
  // A truncated state is refused.
  std::string cut = out.payload().substr(0, out.payload().size() / 2);
  StateReader bad(cut);
  Ranker c(RankMode::Trend, 120'000, 10'000);
  CHECK_FALSE((c.load(bad) && bad.at_end()));
}

TEST_CASE("rank: the baseline's memory follows the recent keys, not the whole run", "[rank]") {
  // 10-second windows, a 1-minute baseline (d = e^(-1/6)): a flood of one-off keys, 200 new ones a window
  // for 2 000 windows, plus one key in every window.
  Baseline b(std::exp(-10.0 / 60.0));
  size_t most = 0;
  for (int w = 0; w < 2000; ++w) {
    CountMap m;
    for (int k = 0; k < 200; ++k) m.add("#once" + std::to_string(w * 200 + k), 1);
    m.add("#always", 5);
    b.add_window(m);
    most = std::max(most, b.keys());
  }
  // A one-off key fades below 0.5 after 6 * ln 2 = 4.2 windows; a sweep runs every window here (a quarter of
  // the baseline's 6.5 windows, floored): at most about 5 windows of them are kept.
  CHECK(most <= 6 * 200 + 1);
  CHECK(b.mean("#always") == Approx(5.0));
  CHECK(b.mean("#once0") == 0);
}

TEST_CASE("rank: a skipped gap decays the baseline as that many empty windows", "[rank]") {
  Baseline a(0.9), b(0.9);
  for (Baseline* x : {&a, &b}) x->add_window(counts({{"#k", 10}}));
  for (int i = 0; i < 7; ++i) a.add_window(CountMap{});
  b.add_empty(7);
  CHECK(a.windows() == b.windows());
  CHECK(a.mean("#k") == Approx(b.mean("#k")));
  Ranker r(RankMode::Count, 60'000, 10'000);
  std::vector<RankedKey> top;
  CountMap w = counts({{"#k", 3}});
  r.rank(w, 10, 1, top);
  r.closed(w, top);
  r.skipped(5);  // the window before the next one was empty: nothing to compare with
  r.rank(w, 10, 1, top);
  CHECK((top[0].prev == 0 && top[0].prev_rank == 0));
}
