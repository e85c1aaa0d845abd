// A brute-force recount of the windowing definition, followed literally: every window is a map of its
// own, each record is added to each of its open windows, and emission walks window ends one slide at a
// time. Shared by the windower's and the parallel pipeline's tests; plus random streams to feed both.
#pragma once
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "util/timefmt.h"

namespace brute {

using trendtop::floor_to;

struct Rec {
  int64_t t;
  std::vector<std::string> keys;
};

struct Out {
  int64_t start, end;
  uint64_t records;
  std::map<std::string, uint64_t> counts;
  bool operator==(const Out&) const = default;
};

struct Result {
  std::vector<Out> windows;
  uint64_t late = 0;
};

inline Result brute_force(const std::vector<Rec>& recs, int64_t W, int64_t L, int64_t lateness) {
  Result r;
  std::map<int64_t, Out> open;  // by end
  std::optional<int64_t> E, first, max_t, last;
  auto emit = [&](int64_t end) {
    Out o = open.count(end) ? open[end] : Out{end - W, end, 0, {}};
    o.start = end - W;
    o.end = end;
    r.windows.push_back(o);
    open.erase(end);
    E = end;
  };
  for (const Rec& rec : recs) {
    std::vector<int64_t> ends;
    for (int64_t e = floor_to(rec.t, L) + L; e <= rec.t + W; e += L) ends.push_back(e);
    bool counted = false;
    for (int64_t e : ends) {
      if (E && e <= *E) continue;
      counted = true;
      Out& o = open[e];
      o.records++;
      for (const auto& k : rec.keys) o.counts[k]++;
    }
    if (!counted) {
      r.late++;
    } else {
      if (!E) first = first ? std::min(*first, ends.front()) : ends.front();
      last = last ? std::max(*last, ends.back()) : ends.back();
    }
    max_t = max_t ? std::max(*max_t, rec.t) : rec.t;
    int64_t wm = *max_t - lateness;
    for (std::optional<int64_t> next = E ? std::optional(*E + L) : first; next && *next <= wm; next = *E + L)
      emit(*next);
  }
  if (last)
    for (std::optional<int64_t> next = E ? std::optional(*E + L) : first; next && *next <= *last;
         next = *E + L)
      emit(*next);
  return r;
}

inline std::vector<Rec> random_stream(std::mt19937_64& rng, size_t n, int64_t base, int64_t step,
                                      int64_t disorder, int vocab) {
  std::vector<Rec> recs;
  int64_t t = base;
  std::uniform_int_distribution<int64_t> adv(0, step), back(0, disorder);
  std::uniform_int_distribution<int> nkeys(0, 3), key(0, vocab - 1), jump(0, 99);
  for (size_t i = 0; i < n; ++i) {
    t += adv(rng);
    if (jump(rng) == 0) t += step * 50;  // a gap: empty windows in between
    Rec r{t - (jump(rng) < 30 ? back(rng) : 0), {}};
    int k = nkeys(rng);
    for (int j = 0; j < k; ++j) {
      std::string s = "#k" + std::to_string(key(rng));
      if (std::find(r.keys.begin(), r.keys.end(), s) == r.keys.end()) r.keys.push_back(s);
    }
    recs.push_back(std::move(r));
  }
  return recs;
}

}  // namespace brute
