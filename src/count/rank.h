// Ranking a closed window's keys (--rank count|trend), and what each ranked key did since the previous
// window (its count and rank there), for every output format.
//
// --rank trend scores a key by how far its count x in the closing window rises above its own baseline b, the
// key's expected count per window learnt from the windows before:
//
//   score = (x - b) / sqrt(b + 5)
//
// a Poisson z-score (a count with mean b varies by about sqrt(b)) with a prior of 5 records, so that a key
// going 0 -> 2 (score 0.89) never beats one going 200 -> 900 (49), a new key needs a few records to rank,
// and a steady giant (x close to b) scores near 0 however big it is.
//
// The baseline is an exponentially weighted mean over the previous windows, every window counting (empty
// ones too): the window just before weighs 1, the one before that d, then d^2, ... with d = e^(-slide /
// baseline), and the mean divides by the weights of the windows actually seen, so at the start of a run it
// is the mean of the windows so far. A key is forgotten once its weighted count falls below 0.5 (less than
// half a record left): memory follows the keys of about the last --baseline, not the whole run.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "config.h"
#include "count/count_map.h"
#include "count/topk.h"
#include "count/totals.h"
#include "util/serial.h"

namespace trendtop {

inline constexpr double kTrendPrior = 5.0;
// The trend score of a key counted x times in a window, against a baseline of b per window.
double trend_score(double x, double b);

// Per key: the weighted count of the windows so far, kept up to date lazily (only keys that occur are
// touched when a window closes; a periodic sweep forgets the faded ones).
class Baseline {
 public:
  // `decay`: the weight of a window relative to the next one (d above), in (0, 1].
  explicit Baseline(double decay);
  // The key's expected count per window, from the windows added so far (0 before any).
  double mean(std::string_view key) const;
  // A window closed with these counts, each plus `credit` (keys starting with `skip`, when not 0, are not
  // keys: ignored).
  void add_window(const CountMap& counts, char skip = 0, uint64_t credit = 0);
  // `n` empty windows went by (skipped over a gap): as n add_window() calls with nothing in them.
  void add_empty(uint64_t n);
  size_t keys() const { return stats_.size(); }
  uint64_t windows() const { return windows_; }

  void save(StateWriter& out) const;
  bool load(StateReader& in);

 private:
  struct Stat {
    double sum;   // weighted count as of window `at`
    uint64_t at;  // windows_ when sum was last brought up to date
  };
  double decayed(const Stat& s) const;
  void sweep();

  double decay_;
  CountMap index_;  // key -> 1 + its index in stats_
  std::vector<Stat> stats_;
  double weight_ = 0;     // sum of the weights of the windows seen
  uint64_t windows_ = 0;  // windows seen
  uint64_t next_sweep_ = 0;
  CountMap scratch_;  // the index and stats being rebuilt by sweep()
  std::vector<Stat> scratch_stats_;
};

class Ranker {
 public:
  Ranker(RankMode mode, int64_t baseline_ms, int64_t slide_ms);

  // The first k keys (0: all) with count >= min_count, in rank order, annotated with the previous window's
  // count and rank (and, for trend, score and baseline). Keys starting with `skip` are not ranked. Each
  // count of `counts` is short of the window's by `credit` (running totals over summaries: totals.h).
  void rank(const CountMap& counts, uint64_t k, uint64_t min_count, std::vector<RankedKey>& out,
            char skip = 0, uint64_t credit = 0);
  // The same for a sliding window's running totals (totals.h), whose top-k they keep: --rank count reads
  // it without a pass over the window (and the previous window's counts from the totals' mark).
  void rank(WindowTotals& totals, uint64_t k, uint64_t min_count, std::vector<RankedKey>& out);
  // A final window was printed with these counts and this ranking: it is the previous window from now on,
  // and joins the baseline.
  void closed(const CountMap& counts, std::span<const RankedKey> top, char skip = 0, uint64_t credit = 0);
  // The same for running totals: --rank count marks them rather than copying the window.
  void closed(WindowTotals& totals, std::span<const RankedKey> top);
  // `n` empty windows were skipped before the next one (--max-skew): nothing was ranked in them.
  void skipped(uint64_t n);

  // `running`: the running totals the last closed(WindowTotals&) marked, if any.
  void save(StateWriter& out, const WindowTotals* running = nullptr) const;
  bool load(StateReader& in);

 private:
  void annotate(std::vector<RankedKey>& out, const WindowTotals* totals) const;

  RankMode mode_;
  Baseline baseline_;
  CountMap prev_counts_;  // the last final window's counts (unless prev_marked_)
  CountMap prev_ranks_;   // its ranked keys -> rank
  // The last final window's counts are the running totals' at their mark (closed(WindowTotals&)).
  bool prev_marked_ = false;
};

}  // namespace trendtop
