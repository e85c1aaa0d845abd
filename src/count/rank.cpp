#include "count/rank.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>

namespace trendtop {

namespace {

// A key's weighted count below this is forgotten: less than half a record is left of it.
constexpr double kForget = 0.5;

bool is_marker(std::string_view key, char skip) {
  return skip != 0 && !key.empty() && key[0] == skip;
}

// Scores within a millionth are a tie: steady keys all score about 0, and which of them is 1e-14 ahead is
// floating-point noise (100 * d + 100 need not equal 100 * (d + 1)), not news.
double tie_level(double score) {
  return std::nearbyint(score * 1e6);
}

// Trend order: score descending, then count descending, then key ascending (total and deterministic).
bool trends_before(const RankedKey& a, const RankedKey& b) {
  double sa = tie_level(a.score), sb = tie_level(b.score);
  if (sa != sb) return sa > sb;
  return ranks_before(a, b);
}

}  // namespace

double trend_score(double x, double b) {
  return (x - b) / std::sqrt(b + kTrendPrior);
}

Baseline::Baseline(double decay) : decay_(decay) {}

double Baseline::decayed(const Stat& s) const {
  return s.sum * std::pow(decay_, static_cast<double>(windows_ - s.at));
}

double Baseline::mean(std::string_view key) const {
  uint64_t i = index_.get(key);
  if (i == 0 || weight_ == 0) return 0;
  return decayed(stats_[i - 1]) / weight_;
}

void Baseline::add_window(const CountMap& counts, char skip, uint64_t credit) {
  ++windows_;
  weight_ = weight_ * decay_ + 1;
  counts.for_each([&](std::string_view key, uint64_t count) {
    if (is_marker(key, skip)) return;
    count += credit;
    if (uint64_t i = index_.get(key); i != 0) {
      Stat& s = stats_[i - 1];
      s.sum = decayed(s) + static_cast<double>(count);
      s.at = windows_;
    } else {
      stats_.push_back({static_cast<double>(count), windows_});
      index_.add(key, stats_.size());
    }
  });
  if (windows_ >= next_sweep_) sweep();
}

void Baseline::add_empty(uint64_t n) {
  if (n == 0) return;
  // weight * d^n + (1 + d + ... + d^(n-1)), in closed form: a gap can be millions of windows.
  double dn = std::pow(decay_, static_cast<double>(n));
  weight_ = weight_ * dn + (decay_ < 1 ? (1 - dn) / (1 - decay_) : static_cast<double>(n));
  windows_ += n;
  if (windows_ >= next_sweep_) sweep();
}

// Forgets the faded keys. Run every quarter of the baseline's length in windows, so its cost spreads to
// about one pass over the keys that arrived in the meantime.
void Baseline::sweep() {
  scratch_.clear();
  scratch_stats_.clear();
  index_.for_each([&](std::string_view key, uint64_t i) {
    Stat s{decayed(stats_[i - 1]), windows_};
    if (s.sum < kForget) return;
    scratch_stats_.push_back(s);
    scratch_.add(key, scratch_stats_.size());
  });
  std::swap(index_, scratch_);
  std::swap(stats_, scratch_stats_);
  double length = 1 / (1 - decay_);  // windows in the baseline
  next_sweep_ = windows_ + std::max<uint64_t>(1, static_cast<uint64_t>(length / 4));
}

void Baseline::save(StateWriter& out) const {
  out.u64(std::bit_cast<uint64_t>(weight_));
  out.u64(windows_);
  out.u64(next_sweep_);
  out.u64(stats_.size());
  index_.for_each([&](std::string_view key, uint64_t i) {
    out.str(key);
    out.u64(std::bit_cast<uint64_t>(stats_[i - 1].sum));
    out.u64(stats_[i - 1].at);
  });
}

bool Baseline::load(StateReader& in) {
  weight_ = std::bit_cast<double>(in.u64());
  windows_ = in.u64();
  next_sweep_ = in.u64();
  uint64_t n = in.u64();
  if (in.failed() || n > in.left()) return false;
  index_.clear();
  stats_.clear();
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view key = in.str();
    double sum = std::bit_cast<double>(in.u64());
    uint64_t at = in.u64();
    if (in.failed() || at > windows_ || !(sum >= 0) || index_.get(key) != 0) return false;
    stats_.push_back({sum, at});
    index_.add(key, stats_.size());
  }
  return std::isfinite(weight_) && weight_ >= 0;
}

Ranker::Ranker(RankMode mode, int64_t baseline_ms, int64_t slide_ms)
    : mode_(mode),
      baseline_(
          std::exp(-static_cast<double>(slide_ms) / static_cast<double>(std::max<int64_t>(baseline_ms, 1)))) {
}

void Ranker::rank(const CountMap& counts, uint64_t k, uint64_t min_count, std::vector<RankedKey>& out,
                  char skip, uint64_t credit) {
  if (mode_ == RankMode::Count) {
    top_k(counts, k, std::max<uint64_t>(1, min_count > credit ? min_count - credit : 0), out, skip);
    for (RankedKey& r : out) r.count += credit;
  } else {
    out.clear();
    counts.for_each([&](std::string_view key, uint64_t count) {
      count += credit;
      if (count < min_count || is_marker(key, skip)) return;
      RankedKey r{key, count};
      r.baseline = baseline_.mean(key);
      r.score = trend_score(static_cast<double>(count), r.baseline);
      out.push_back(r);
    });
    if (k != 0 && k < out.size()) {
      std::nth_element(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(k), out.end(), trends_before);
      out.resize(k);
    }
    std::sort(out.begin(), out.end(), trends_before);
  }
  annotate(out, nullptr);
}

void Ranker::annotate(std::vector<RankedKey>& out, const WindowTotals* totals) const {
  for (RankedKey& r : out) {
    r.prev = prev_marked_ && totals ? totals->prev(r.key) : prev_counts_.get(r.key);
    r.prev_rank = prev_ranks_.get(r.key);
  }
}

void Ranker::rank(WindowTotals& totals, uint64_t k, uint64_t min_count, std::vector<RankedKey>& out) {
  // A trend score moves with every key's baseline at every window: a pass over the window, as for any.
  if (mode_ == RankMode::Trend)
    return rank(totals.ranked(), k, min_count, out, totals.spec().mark, totals.credit());
  totals.top(k, min_count, out);
  annotate(out, &totals);
}

void Ranker::closed(const CountMap& counts, std::span<const RankedKey> top, char skip, uint64_t credit) {
  prev_marked_ = false;
  prev_counts_.clear();
  counts.for_each([&](std::string_view key, uint64_t count) {
    if (!is_marker(key, skip)) prev_counts_.add(key, count + credit);
  });
  prev_ranks_.clear();
  uint64_t rank = 0;
  for (const RankedKey& r : top) prev_ranks_.add(r.key, ++rank);
  if (mode_ == RankMode::Trend) baseline_.add_window(counts, skip, credit);
}

void Ranker::closed(WindowTotals& totals, std::span<const RankedKey> top) {
  // The baseline takes every key of every window.
  if (mode_ == RankMode::Trend) return closed(totals.ranked(), top, totals.spec().mark, totals.credit());
  totals.mark();
  prev_marked_ = true;
  prev_counts_.clear();
  prev_ranks_.clear();
  uint64_t rank = 0;
  for (const RankedKey& r : top) prev_ranks_.add(r.key, ++rank);
}

void Ranker::skipped(uint64_t n) {
  if (n == 0) return;
  prev_marked_ = false;
  prev_counts_.clear();  // the window before the next one was empty
  prev_ranks_.clear();
  if (mode_ == RankMode::Trend) baseline_.add_empty(n);
}

namespace {
void save_map(StateWriter& out, const CountMap& m) {
  out.u64(m.size());
  m.for_each([&](std::string_view key, uint64_t v) {
    out.str(key);
    out.u64(v);
  });
}
bool load_map(StateReader& in, CountMap& m) {
  m.clear();
  uint64_t n = in.u64();
  if (in.failed() || n > in.left()) return false;
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view key = in.str();
    uint64_t v = in.u64();
    if (in.failed() || v == 0 || m.get(key) != 0) return false;
    m.add(key, v);
  }
  return true;
}
}  // namespace

void Ranker::save(StateWriter& out, const WindowTotals* running) const {
  if (prev_marked_ && running) {
    CountMap prev;
    running->previous(prev);
    save_map(out, prev);
  } else {
    save_map(out, prev_counts_);
  }
  save_map(out, prev_ranks_);
  if (mode_ == RankMode::Trend) baseline_.save(out);
}

bool Ranker::load(StateReader& in) {
  prev_marked_ = false;
  return load_map(in, prev_counts_) && load_map(in, prev_ranks_) &&
         (mode_ == RankMode::Count || baseline_.load(in));
}

}  // namespace trendtop
