// The running totals of sliding windows (count/totals.h): hand-checked cases, then the property that
// matters: on random streams, at window/slide ratios from 1 to 3 600 and in every count mode, each window
// the Windower moves incrementally equals the same window summed pane by pane and an independent recount
// of the records, and its incremental top-k, authors per key, spellings and previous counts equal what a
// pass over the window's counts gives (the pipeline's code for every window before running totals).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "count/topk.h"
#include "count/totals.h"
#include "count/window.h"
#include "util/clock.h"
#include "util/hash.h"
#include "util/serial.h"
#include "util/timefmt.h"

using namespace trendtop;

namespace {

constexpr char kMark = '\x1e';

std::map<std::string, uint64_t> as_map(const CountMap& m) {
  std::map<std::string, uint64_t> out;
  m.for_each([&](std::string_view k, uint64_t n) { out[std::string(k)] = n; });
  return out;
}

CountMap pane(std::initializer_list<std::pair<const char*, uint64_t>> entries) {
  CountMap m;
  for (auto [k, n] : entries) m.add(k, n);
  return m;
}

std::vector<std::pair<std::string, uint64_t>> listed(const std::vector<RankedKey>& r) {
  std::vector<std::pair<std::string, uint64_t>> out;
  for (const RankedKey& k : r) out.emplace_back(std::string(k.key), k.count);
  return out;
}

// --- What a pass over a window's counts gives: the reference the incremental structures must equal.

// The counts ranked: with --count users the authors per key (into `users`), else the counts themselves.
// `distinct`: its keys that are not spelling markers.
const CountMap& derive(const CountMap& counts, bool users, bool spellings, CountMap& users_map,
                       uint64_t& distinct) {
  const CountMap* ranked = &counts;
  if (users) {
    users_map.clear();
    counts.for_each([&](std::string_view k, uint64_t) { users_map.add(k.substr(0, k.rfind('\x1f'))); });
    ranked = &users_map;
  }
  uint64_t markers = 0;
  ranked->for_each([&](std::string_view k, uint64_t) { markers += !k.empty() && k[0] == kMark; });
  distinct = ranked->size() - (spellings ? markers : 0);
  return *ranked;
}

// The display of each ranked key, in one pass over the markers: its most frequent spelling (a tie: the
// bytewise smaller), unless the key as folded (its count less its markers') is at least as frequent. The
// counts of `top` are credited `credit` over `ranked`'s (running totals over summaries: totals.h).
void displays(const CountMap& ranked, const std::vector<RankedKey>& top, std::vector<std::string_view>& out,
              uint64_t credit = 0) {
  struct Spelled {
    std::string_view best;
    uint64_t best_count = 0, others = 0;
  };
  std::vector<Spelled> spelled(top.size());
  ranked.for_each([&](std::string_view k, uint64_t n) {
    if (k.empty() || k[0] != kMark) return;
    size_t us = k.find('\x1f');
    if (us == std::string_view::npos) return;
    for (size_t i = 0; i < top.size(); ++i) {
      if (top[i].key != k.substr(1, us - 1)) continue;
      Spelled& s = spelled[i];
      std::string_view spelling = k.substr(us + 1);
      s.others += n;
      if (n > s.best_count || (n == s.best_count && spelling < s.best)) s.best = spelling, s.best_count = n;
    }
  });
  out.assign(top.size(), {});
  for (size_t i = 0; i < top.size(); ++i) {
    const Spelled& s = spelled[i];
    uint64_t count = top[i].count - credit;
    uint64_t as_key = count - std::min(count, s.others);
    if (s.best_count > as_key || (s.best_count == as_key && s.best_count > 0 && s.best < top[i].key))
      out[i] = s.best;
  }
}

}  // namespace

TEST_CASE("totals: panes enter and leave; a key at zero leaves the window", "[totals]") {
  CountMap p1 = pane({{"#a", 2}, {"#b", 1}}), p2 = pane({{"#a", 1}, {"#c", 3}});
  WindowTotals t;
  t.add(p1, 1);
  t.add(p2, 1);
  CHECK(as_map(t.counts()) == std::map<std::string, uint64_t>{{"#a", 3}, {"#b", 1}, {"#c", 3}});
  t.add(p1, -1);
  CHECK(as_map(t.counts()) == std::map<std::string, uint64_t>{{"#a", 1}, {"#c", 3}});
  CHECK(t.distinct() == 2);
  t.add("#c", hash_key("#c"), 1);  // a late record into a pane the window holds
  t.add(p2, -1);
  CHECK(as_map(t.counts()) == std::map<std::string, uint64_t>{{"#c", 1}});
  t.add("#c", hash_key("#c"), -1);
  CHECK(t.counts().empty());
  CHECK(t.distinct() == 0);
}

TEST_CASE("totals: --count users counts an author while any pane of the window holds them", "[totals]") {
  WindowTotals t(WindowTotals::Spec{true, false, kMark});
  // ann tagged #x in both panes, bob only in the first; ann tagged #y in the second.
  CountMap p1 = pane({{"#x\x1f"
                       "ann",
                       2},
                      {"#x\x1f"
                       "bob",
                       1}});
  CountMap p2 = pane({{"#x\x1f"
                       "ann",
                       1},
                      {"#y\x1f"
                       "ann",
                       1}});
  t.add(p1, 1);
  t.add(p2, 1);
  CHECK(as_map(t.ranked()) == std::map<std::string, uint64_t>{{"#x", 2}, {"#y", 1}});
  t.add(p1, -1);  // bob leaves with the first pane; ann stays, counted by the second
  CHECK(as_map(t.ranked()) == std::map<std::string, uint64_t>{{"#x", 1}, {"#y", 1}});
  CHECK(t.distinct() == 2);
  t.add(p2, -1);
  CHECK(t.ranked().empty());
  CHECK(t.distinct() == 0);
}

TEST_CASE("totals: the top-k is exact through ties, falling counts and --min-count", "[totals]") {
  WindowTotals t(WindowTotals::Spec{false, false, kMark});
  CountMap p = pane({{"#a", 5},
                     {"#b", 5},
                     {"#c", 4},
                     {"#d", 1},
                     {"\x1e#a\x1f"
                      "A",
                      9}});
  t.add(p, 1);
  std::vector<RankedKey> top;
  t.top(2, 1, top);
  CHECK(listed(top) == std::vector<std::pair<std::string, uint64_t>>{{"#a", 5}, {"#b", 5}});
  t.add("#a", hash_key("#a"), -5);
  t.add("#b", hash_key("#b"), -1);
  t.top(2, 1, top);  // #b and #c tie at 4: the key decides
  CHECK(listed(top) == std::vector<std::pair<std::string, uint64_t>>{{"#b", 4}, {"#c", 4}});
  t.top(0, 1, top);  // all, the marker aside
  CHECK(listed(top) == std::vector<std::pair<std::string, uint64_t>>{{"#b", 4}, {"#c", 4}, {"#d", 1}});
  t.top(3, 2, top);
  CHECK(listed(top) == std::vector<std::pair<std::string, uint64_t>>{{"#b", 4}, {"#c", 4}});

  // Many keys, most of them falling out of the window one by one: after each change the top 3 equals a
  // pass over the window, and the passes top() itself makes stay few.
  WindowTotals many;
  std::mt19937 rng(3);
  for (int i = 0; i < 500; ++i)
    many.add("#k" + std::to_string(i), hash_key("#k" + std::to_string(i)), 1 + i % 97);
  std::vector<RankedKey> want;
  for (int step = 0; step < 3000; ++step) {
    std::string k = "#k" + std::to_string(rng() % 500);
    uint64_t now = many.counts().get(k);
    int64_t d = now > 0 && rng() % 3 != 0 ? -static_cast<int64_t>(std::min<uint64_t>(now, 1 + rng() % 5))
                                          : static_cast<int64_t>(rng() % 3);
    many.add(k, hash_key(k), d);
    many.top(3, 1, top);
    top_k(many.counts(), 3, 1, want);
    REQUIRE(listed(top) == listed(want));
  }
  CHECK(many.rescans() < 300);
}

TEST_CASE("totals: each ranked key shows its most frequent spelling, from the markers", "[totals]") {
  WindowTotals t(WindowTotals::Spec{false, true, kMark});
  // 5 records with #tag: 3 spelled Tag, 1 TAG, 1 as folded; 2 records with #other, as folded.
  t.add(pane({{"#tag", 5}, {"\x1e#tag\x1fTag", 3}, {"\x1e#tag\x1fTAG", 1}, {"#other", 2}}), 1);
  CHECK(t.distinct() == 2);  // markers are no keys
  std::vector<RankedKey> top;
  t.top(10, 1, top);
  t.spell(top);
  REQUIRE(top.size() == 2);
  CHECK(top[0].key == "#tag");
  CHECK(top[0].display == "Tag");
  CHECK(top[1].display.empty());
  // The Tag records leave: TAG (1) ties with the key as folded (2 - 1 = 1), and "#tag" < "TAG" bytewise.
  t.add(pane({{"#tag", 3}, {"\x1e#tag\x1fTag", 3}}), -1);
  t.top(10, 1, top);
  t.spell(top);
  CHECK(top[0].key == "#other");
  CHECK(top[1].key == "#tag");
  CHECK(top[1].display.empty());
  CHECK(t.distinct() == 2);
}

TEST_CASE("totals: prev() is each key's count at the mark, without a copy", "[totals]") {
  WindowTotals t;
  t.add(pane({{"#a", 3}, {"#b", 1}}), 1);
  t.mark();
  t.add(pane({{"#a", 3}, {"#b", 1}}), -1);  // the window slides: both leave
  t.add(pane({{"#a", 2}, {"#new", 4}}), 1);
  CHECK(t.prev("#a") == 3);
  CHECK(t.prev("#b") == 1);  // gone since
  CHECK(t.prev("#new") == 0);
  CountMap prev;
  t.previous(prev);
  CHECK(as_map(prev) == std::map<std::string, uint64_t>{{"#a", 3}, {"#b", 1}});
  t.clear();  // a jump: nothing in common with the window before
  t.add(pane({{"#c", 1}}), 1);
  CHECK(t.prev("#a") == 3);
  t.previous(prev);
  CHECK(as_map(prev) == std::map<std::string, uint64_t>{{"#a", 3}, {"#b", 1}});
  t.mark();
  CHECK(t.prev("#a") == 0);
  CHECK(t.prev("#c") == 1);
}

// --- The property: random streams x window/slide ratios from 1 to 3 600 x every count mode.

namespace {

struct Mode {
  const char* name;
  bool users;      // entries key US author
  bool spellings;  // records carry spelling markers
  bool repeats;    // a key may come more than once in a record (--count occurrences)
};

struct Rec {
  int64_t t;
  std::vector<std::string> keys;
};

// Times drift forward with disorder (some beyond the lateness: late) and jumps (gaps of empty windows);
// keys are skewed so that a few rank steadily and many come and go.
std::vector<Rec> random_records(std::mt19937_64& rng, const Mode& mode, int64_t W, int64_t s,
                                int64_t lateness, size_t n) {
  auto uniform = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  int64_t span = W * uniform(1, 2) + s * uniform(1, 40);
  int64_t step = std::max<int64_t>(1, 2 * span / static_cast<int64_t>(n));
  // Small vocabularies rank every key; larger ones than the candidate set (2k + 32) make it shrink and grow
  // (not at the largest ratios, whose thousands of windows each checked by a pass would be slow).
  int vocab = static_cast<int>(uniform(0, 1) || W / s > 1000 ? uniform(6, 40) : uniform(60, 300));
  std::vector<Rec> recs;
  int64_t t = -W;  // negative times too
  for (size_t i = 0; i < n; ++i) {
    t += uniform(0, step);
    if (uniform(0, static_cast<int64_t>(n)) == 0) t += uniform(W, 2 * W);  // about once a stream
    Rec r{t - (uniform(0, 4) == 0 ? uniform(0, lateness + W / 2 + s) : 0), {}};
    std::string author = "u" + std::to_string(uniform(0, 5));
    int64_t keys = uniform(0, 4);
    for (int64_t j = 0; j < keys; ++j) {
      int64_t a = uniform(0, vocab - 1), b = uniform(0, vocab - 1);
      std::string key = "#k" + std::to_string(std::min(a, b));
      if (mode.users) key += "\x1f" + author;
      if (!mode.repeats && std::find(r.keys.begin(), r.keys.end(), key) != r.keys.end()) continue;
      r.keys.push_back(key);
    }
    if (mode.spellings) {
      size_t plain = r.keys.size();
      for (size_t j = 0; j < plain; ++j) {
        int64_t v = uniform(0, 5);
        if (v < 3) r.keys.push_back(std::string(1, kMark) + r.keys[j] + "\x1f" + r.keys[j] + "ABC"[v]);
        if (v == 3 && uniform(0, 20) == 0)
          r.keys.push_back(std::string(1, kMark) + r.keys[j]);  // no spelling
      }
    }
    recs.push_back(std::move(r));
  }
  return recs;
}

int64_t pick(std::mt19937_64& rng, std::initializer_list<int64_t> values) {
  return *(values.begin() + std::uniform_int_distribution<size_t>(0, values.size() - 1)(rng));
}

// One random configuration: the stream through a Windower, every window it emits or shows (peek_open)
// checked as it comes.
void check_stream(uint64_t seed, const Mode& mode, int64_t ratio) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  int64_t s = pick(rng, {1, 3, 10, 60, 1000});
  int64_t W = ratio * s;
  int64_t lateness = pick(rng, {0, 0, 1, 2}) * uniform(0, W);
  int64_t max_gap = uniform(0, 1) ? 0 : W / 2 + s * uniform(0, 5);
  uint64_t max_keys = uniform(0, 3) == 0 ? static_cast<uint64_t>(uniform(4, 12)) : 0;
  uint64_t k = static_cast<uint64_t>(pick(rng, {1, 2, 3, 5, 10}));
  uint64_t min_count = static_cast<uint64_t>(pick(rng, {1, 1, 1, 2, 3}));
  size_t n = static_cast<size_t>(uniform(300, 1200));
  INFO("seed " << seed << ", " << mode.name << ": window " << W << " slide " << s << " (ratio " << ratio
               << ") lateness " << lateness << " max_gap " << max_gap << " max_keys " << max_keys << " top "
               << k << " min_count " << min_count << ", " << n << " records");
  std::vector<Rec> recs = random_records(rng, mode, W, s, lateness, n);
  WindowSpec spec{W, s, lateness, max_gap, max_keys, {mode.users, mode.spellings, kMark}};
  Windower w(spec);

  // The records given so far, each with the end of the last window emitted when it came: it counts in the
  // windows containing its time that end after that (the open ones).
  struct Given {
    const Rec* rec;
    int64_t emitted;
  };
  std::vector<Given> given;
  int64_t emitted = kNoTime;
  CountMap prev, users, resummed, chain_prev, credited;
  const CountMap* checked = nullptr;  // the counts the last window checked ranked
  std::vector<std::string_view> shown;
  bool have_prev = false;
  std::vector<RankedKey> top, want;
  uint64_t windows = 0, sampled = 0;

  // Checks a window; returns its ranked counts in `ranked`.
  auto check = [&](const ClosedWindow& c, const CountMap* previous) {
    ++windows;
    CHECK(c.end - c.start == W);
    bool sample = ratio <= 48 || uniform(0, ratio / 48) == 0;
    if (sample) {
      ++sampled;
      // The panes summed, as every window was before running totals.
      uint64_t records = 0, error = 0;
      w.resum(c.end, resummed, records, error);
      REQUIRE(as_map(c.counts) == as_map(resummed));
      CHECK(c.records == records);
      CHECK(c.max_error == error);
      // A recount of the records the window holds.
      std::map<std::string, uint64_t> exact;
      uint64_t exact_records = 0;
      for (const Given& g : given) {
        if (g.rec->t < c.start || g.rec->t >= c.end || (g.emitted != kNoTime && c.end <= g.emitted)) continue;
        ++exact_records;
        for (const std::string& key : g.rec->keys) ++exact[key];
      }
      CHECK(c.records == exact_records);
      if (max_keys == 0) {
        CHECK(as_map(c.counts) == exact);
        CHECK(c.max_error == 0);
      } else {
        // Space-Saving summaries: a pane's count is never under the truth and at most its floor over, and a
        // key it lost occurred there at most floor times. Summed over the window's panes, a key credited the
        // floor of each pane that lost it, a count is at least the truth and at most the error (the sum of
        // the floors) over it; a key no pane lists occurred at most the error times. The totals hold each
        // key's excess over the floors: the credit (the error) makes it the count. Markers and --count
        // users entries are not credited (only their presence counts): within the error either way.
        // (Tumbling windows are their pane as it stands: no credit.)
        CHECK(c.credit == (mode.users || W == s ? 0 : c.max_error));
        std::map<std::string, uint64_t> got = as_map(c.counts);
        for (const auto& [key, n] : exact) {
          bool credited_key = !mode.users && key[0] != kMark;
          uint64_t g = got.count(key) ? got[key] + (credited_key ? c.credit : 0) : 0;
          if (credited_key && g > 0) CHECK(g >= n);
          CHECK(g + c.max_error >= n);
          CHECK(g <= n + c.max_error);
        }
      }
    }
    if (W == s) {  // tumbling: the window is its pane, no running totals
      CHECK(c.totals == nullptr);
      return;
    }
    REQUIRE(c.totals != nullptr);
    WindowTotals& t = *c.totals;
    REQUIRE(&t.counts() == &c.counts);
    // Plain loops and one assertion each, rather than std::maps: this runs at every window, thousands of
    // them per stream (and under the sanitizers).
    uint64_t distinct = 0;
    const CountMap& excess = derive(c.counts, mode.users, mode.spellings, users, distinct);
    CHECK(t.credit() == c.credit);
    const CountMap* counted = &excess;
    if (c.credit > 0) {  // the window's counts: each key credited, markers aside
      credited.clear();
      excess.for_each([&](std::string_view key, uint64_t n) {
        credited.add(key, n + (!key.empty() && key[0] == kMark ? 0 : c.credit));
      });
      counted = &credited;
    }
    const CountMap& ranked = *counted;
    bool same = t.ranked().size() == excess.size();
    if (mode.users)
      excess.for_each([&](std::string_view key, uint64_t n) { same = same && t.ranked().get(key) == n; });
    REQUIRE(same);
    CHECK(t.distinct() == distinct);
    t.top(k, min_count, top);
    top_k(ranked, k, min_count, want, kMark);
    same = top.size() == want.size();
    for (size_t i = 0; same && i < top.size(); ++i)
      same = top[i].key == want[i].key && top[i].count == want[i].count;
    if (!same) REQUIRE(listed(top) == listed(want));
    t.spell(top);
    displays(excess, top, shown, c.credit);
    for (size_t i = 0; i < top.size(); ++i) {
      if (top[i].display != shown[i]) CHECK(std::string(top[i].display) == std::string(shown[i]));
      const RankedKey& r = top[i];
      if (previous && t.prev(r.key) != previous->get(r.key)) CHECK(t.prev(r.key) == previous->get(r.key));
    }
    checked = &ranked;
  };

  Windower::Emit emit = [&](const ClosedWindow& c) {
    check(c, have_prev ? &prev : nullptr);
    if (c.totals) {  // it is the previous window from now on, as the ranker marks it
      c.totals->mark();
      prev = *checked;  // markers and all: they are never ranked, so never looked up
      have_prev = true;
    }
    emitted = c.end;
    return true;
  };
  std::vector<std::string_view> views;
  for (size_t i = 0; i < recs.size(); ++i) {
    given.push_back({&recs[i], emitted});
    views.assign(recs[i].keys.begin(), recs[i].keys.end());
    bool stopped = false;
    w.process(recs[i].t, views, emit, stopped);
    REQUIRE_FALSE(stopped);
    if (uniform(0, 49) == 0) {
      // The open windows as they stand: the first only (--emit every, the live view), or several, each
      // marked as the previous of the next (a signal's partial windows). Nothing changes for what follows.
      bool chain = uniform(0, 1) == 1;
      int64_t visits = chain ? uniform(1, 6) : 1;
      const CountMap* before = have_prev ? &prev : nullptr;
      w.peek_open([&](const ClosedWindow& c) {
        check(c, before);
        if (chain && c.totals) {
          c.totals->mark();
          chain_prev = *checked;
          before = &chain_prev;
        }
        return --visits > 0;
      });
    }
    if (uniform(0, 299) == 0) {
      // Through a state file: the running totals are rebuilt from the panes (and their mark is the ranker's
      // business: the next window has no previous here).
      StateWriter out;
      w.save(out);
      Windower loaded(spec);
      StateReader in(out.payload());
      REQUIRE(loaded.load(in));
      REQUIRE(in.at_end());
      w = std::move(loaded);
      have_prev = false;
    }
  }
  REQUIRE(w.flush(emit));
  CHECK(windows > 0);
  CHECK(sampled > 0);
}

}  // namespace

TEST_CASE("totals: sliding windows moved incrementally equal re-summed and recounted ones",
          "[totals][property]") {
  const Mode modes[] = {{"records", false, false, false},
                        {"occurrences", false, false, true},
                        {"users", true, false, false},
                        {"records with spellings (display)", false, true, false}};
  std::mt19937_64 rng(2024);
  for (const Mode& mode : modes) {
    // Ratios from 1 to 3 600, log-uniform, both ends included.
    std::vector<int64_t> ratios = {1, 2, 3600};
    for (int i = 0; i < 5; ++i)
      ratios.push_back(
          static_cast<int64_t>(std::exp(std::uniform_real_distribution<double>(0, std::log(3600.0))(rng))));
    for (int64_t ratio : ratios) check_stream(rng(), mode, std::max<int64_t>(1, ratio));
  }
}
