#include "count/window.h"

#include <algorithm>
#include <utility>

#include "util/timefmt.h"

namespace trendtop {

Windower::Windower(WindowSpec spec)
    : spec_(spec), sliding_(spec.window_ms > spec.slide_ms), running_(spec.totals) {}

void Windower::start_at(int64_t t) {
  int64_t end = floor_to(t, spec_.slide_ms) + spec_.slide_ms;
  if (emitted_end_ == kNoTime && (first_end_ == kNoTime || end < first_end_)) first_end_ = end;
}

int64_t Windower::next_end() const {
  if (emitted_end_ != kNoTime) return emitted_end_ + spec_.slide_ms;
  return first_end_;
}

Windower::Pane& Windower::pane_at(int64_t start) {
  // Records nearly always land in the newest pane or close to it: search from the back.
  auto it = panes_.end();
  while (it != panes_.begin() && (it - 1)->start >= start) {
    if ((it - 1)->start == start) return *(it - 1);
    --it;
  }
  Pane pane{start, 0, {}};
  if (!spare_.empty()) {
    pane.counts = std::move(spare_.back());
    spare_.pop_back();
  }
  return *panes_.insert(it, std::move(pane));
}

bool Windower::add(int64_t t, std::span<const std::string_view> keys, std::span<const uint64_t> hashes) {
  int64_t start = floor_to(t, spec_.slide_ms);
  // The last window holding this pane ends at start + window; if that one was emitted, all were.
  if (emitted_end_ != kNoTime && start + spec_.window_ms <= emitted_end_) return false;
  Pane& pane = pane_at(start);
  ++pane.records;
  // In order, records fill a pane no window emitted so far holds, which the running totals take whole
  // when they move; a record for a pane they hold already counts there too.
  bool running = running_holds(start);
  if (running) ++run_records_;
  for (size_t i = 0; i < keys.size(); ++i) {
    uint64_t hash = hashes.empty() ? hash_key(keys[i]) : hashes[i];
    // A summarised pane: a key new to it may have been evicted with up to `floor` occurrences.
    uint64_t n = pane.floor > 0 && pane.counts.get_hashed(keys[i], hash) == 0 ? pane.floor + 1 : 1;
    pane.counts.add_hashed(keys[i], hash, n);
    // The totals hold the excess over the pane's floor (totals.h): one more either way.
    if (running) running_.add(keys[i], hash, 1);
  }
  if (spec_.max_keys > 0 && pane.counts.size() >= spec_.max_keys) compact(pane);
  if (emitted_end_ == kNoTime && (first_end_ == kNoTime || start + spec_.slide_ms < first_end_))
    first_end_ = start + spec_.slide_ms;
  last_end_ = std::max(last_end_, start + spec_.window_ms);
  return true;
}

bool Windower::process(int64_t t, std::span<const std::string_view> keys, const Emit& emit, bool& stopped,
                       std::span<const uint64_t> hashes) {
  bool counted = add(t, keys, hashes);
  max_time_ = std::max(max_time_, t);
  stopped = !advance(watermark(), emit);
  return counted;
}

bool Windower::advance(int64_t watermark, const Emit& emit) {
  if (watermark == kNoTime) return true;
  uint64_t n = 0;
  for (int64_t end = next_end(); end != kNoTime && end <= watermark; end = next_end()) {
    if (cut(++n)) return true;
    if (int64_t last = gap_from(end, watermark); last != kNoTime) {
      uint64_t n = static_cast<uint64_t>((last - end) / spec_.slide_ms + 1);
      skipped_windows_ += n;
      skipped_pending_ += n;
      emitted_end_ = last;
      first_end_ = kNoTime;
      release_panes_before(last - spec_.window_ms + spec_.slide_ms);
      continue;
    }
    if (!emit_window(end, emit)) return false;
  }
  return true;
}

int64_t Windower::gap_from(int64_t end, int64_t limit) const {
  if (spec_.max_gap_ms <= 0) return kNoTime;
  // The first window at or after `end` holding a pane: the one ending just after the first pane that a window
  // ending at `end` or later can hold.
  auto next = std::lower_bound(panes_.begin(), panes_.end(), end - spec_.window_ms,
                               [](const Pane& p, int64_t s) { return p.start < s; });
  int64_t last = floor_to(limit, spec_.slide_ms);
  if (next != panes_.end())
    last = std::min(last, std::max(end, next->start + spec_.slide_ms) - spec_.slide_ms);
  return last - end + spec_.slide_ms > spec_.max_gap_ms ? last : kNoTime;
}

bool Windower::flush(const Emit& emit, int64_t now) {
  int64_t target = last_end_;
  if (now != kNoTime && next_end() != kNoTime)
    target = std::max(target, floor_to(now, spec_.slide_ms) + spec_.slide_ms);
  return advance(target, emit);
}

// Space-Saving in batches: rather than evicting the smallest counter at every new key (a heap per pane),
// keep the larger half and drop the rest at once, so a new key costs O(1) amortised. The guarantee is
// Space-Saving's with half the counters: with n records in the pane, floor <= 2n / max_keys.
void Windower::compact(Pane& pane) {
  ranked_.clear();
  pane.counts.for_each([&](std::string_view k, uint64_t c) { ranked_.emplace_back(c, k); });
  size_t keep = std::max<size_t>(1, spec_.max_keys / 2);
  if (keep >= ranked_.size()) return;
  std::nth_element(ranked_.begin(), ranked_.begin() + static_cast<std::ptrdiff_t>(keep), ranked_.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  uint64_t cut = ranked_[keep].first;  // everything at or below it goes: ties are not split
  if (running_holds(pane.start)) {
    // The floor rises from pane.floor to cut (cut > pane.floor: every count is above the floor): a key
    // evicted loses its excess (the window credits it the new floor), a key kept the rise.
    pane.counts.for_each_entry([&](const CountMap::Entry& e) {
      uint64_t drop = std::min(e.count, cut) - pane.floor;
      running_.add(pane.counts.key(e), e.hash, -static_cast<int64_t>(drop));
    });
    run_error_ += std::max(pane.floor, cut) - pane.floor;
    running_.set_error(run_error_);
  }
  pane.floor = std::max(pane.floor, cut);
  scratch_.clear();
  for (const auto& [c, k] : ranked_)
    if (c > cut) scratch_.add(k, c);
  std::swap(pane.counts, scratch_);
  scratch_.clear();
}

ClosedWindow Windower::contents(int64_t end) {
  int64_t start = end - spec_.window_ms;
  if (sliding_) {
    seek(end);
    // Space-Saving summaries merge by adding counts; their errors add.
    ClosedWindow w{start, end, run_records_, running_.counts()};
    w.max_error = run_error_;
    w.credit = running_.credit();
    w.totals = &running_;
    return w;
  }
  // Tumbling: the window is one pane.
  auto pane = std::lower_bound(panes_.begin(), panes_.end(), start,
                               [](const Pane& p, int64_t s) { return p.start < s; });
  if (pane == panes_.end() || pane->start >= end) return {start, end, 0, empty_};
  ClosedWindow w{start, end, pane->records, pane->counts};
  w.max_error = pane->floor;
  return w;
}

void Windower::resum(int64_t end, CountMap& out, uint64_t& records, uint64_t& error) const {
  out.clear();
  records = error = 0;
  auto it = std::lower_bound(panes_.begin(), panes_.end(), end - spec_.window_ms,
                             [](const Pane& p, int64_t s) { return p.start < s; });
  for (; it != panes_.end() && it->start < end; ++it) {
    uint64_t floor = sliding_ ? it->floor : 0;  // a tumbling window is its pane as it stands
    it->counts.for_each([&](std::string_view k, uint64_t c) { out.add(k, c - floor); });
    records += it->records;
    error += it->floor;
  }
}

void Windower::apply_pane(const Pane& pane, int sign) {
  running_.add(pane.counts, sign, pane.floor);
  if (sign > 0) {
    run_records_ += pane.records;
    run_error_ += pane.floor;
  } else {
    run_records_ -= pane.records;
    run_error_ -= pane.floor;
  }
  running_.set_error(run_error_);
}

void Windower::apply_panes(int64_t from, int64_t to, int sign) {
  auto it = std::lower_bound(panes_.begin(), panes_.end(), from,
                             [](const Pane& p, int64_t s) { return p.start < s; });
  for (; it != panes_.end() && it->start < to; ++it) apply_pane(*it, sign);
}

// From the panes [lo, hi) held to the window's [start, end): only the panes at the edges change, whatever
// the distance; panes no longer alive were subtracted when they were released.
void Windower::seek(int64_t end) {
  int64_t start = end - spec_.window_ms;
  if (run_lo_ == start && run_hi_ == end) return;
  if (run_lo_ >= run_hi_ || end <= run_lo_ || start >= run_hi_) {
    running_.clear();  // nothing in common
    run_records_ = run_error_ = 0;
    running_.set_error(0);
    apply_panes(start, end, 1);
  } else {
    if (run_lo_ < start) apply_panes(run_lo_, start, -1);
    if (start < run_lo_) apply_panes(start, run_lo_, 1);
    if (run_hi_ < end) apply_panes(run_hi_, end, 1);
    if (end < run_hi_) apply_panes(end, run_hi_, -1);
  }
  run_lo_ = start;
  run_hi_ = end;
}

bool Windower::emit_window(int64_t end, const Emit& emit) {
  emitted_end_ = end;
  first_end_ = kNoTime;
  ClosedWindow w = contents(end);
  w.skipped_before = std::exchange(skipped_pending_, 0);
  bool go_on = emit(w);
  // No open window (end > E) needs a pane with start + window <= E.
  release_panes_before(end - spec_.window_ms + spec_.slide_ms);
  if (sliding_) {
    // The pane that ends here is complete but for late records: it stays for window/slide - 1 more
    // windows, packed (a window of 3 600 panes would otherwise hold twice the memory its keys need).
    auto last = std::lower_bound(panes_.begin(), panes_.end(), end - spec_.slide_ms,
                                 [](const Pane& p, int64_t s) { return p.start < s; });
    if (last != panes_.end() && last->start == end - spec_.slide_ms) last->counts.pack();
  }
  return go_on;
}

bool Windower::peek_open(const Emit& visit, int64_t through) {
  int64_t target = std::max(last_end_, through);
  uint64_t n = 0;
  int64_t home = kNoTime;  // where the running totals were first moved: back there afterwards
  bool go_on = true;
  for (int64_t end = next_end(); end != kNoTime && end <= target; end += spec_.slide_ms) {
    if (cut(++n)) break;  // the totals are still put back
    if (int64_t last = gap_from(end, target); last != kNoTime) {
      end = last;  // the same empty runs advance() would skip
      continue;
    }
    if (sliding_ && home == kNoTime) {
      seek(end);
      home = end;
      running_.save_mark(peek_mark_, peek_credit_);
    }
    if (!visit(contents(end))) {
      go_on = false;
      break;
    }
  }
  if (home != kNoTime) {
    seek(home);
    running_.restore_mark(peek_mark_, peek_credit_);
  }
  return go_on;
}

uint64_t Windower::open_windows(int64_t through) const {
  int64_t target = std::max(last_end_, through);
  uint64_t n = 0;
  for (int64_t end = next_end(); end != kNoTime && end <= target; end += spec_.slide_ms) {
    if (int64_t last = gap_from(end, target); last != kNoTime) {
      end = last;
      continue;
    }
    ++n;
  }
  return n;
}

void Windower::release_panes_before(int64_t start) {
  auto keep = std::lower_bound(panes_.begin(), panes_.end(), start,
                               [](const Pane& p, int64_t s) { return p.start < s; });
  for (auto it = panes_.begin(); it != keep; ++it) {
    if (running_holds(it->start)) apply_pane(*it, -1);  // the pane leaves the window the totals hold
    it->counts.clear();
    spare_.push_back(std::move(it->counts));
  }
  panes_.erase(panes_.begin(), keep);
  // No pane before `start` comes back (a record there would be late): the totals hold [start, hi) now.
  if (run_lo_ < start) {
    run_lo_ = start;
    run_hi_ = std::max(run_hi_, start);
  }
}

void Windower::save(StateWriter& out) const {
  out.i64(emitted_end_);
  out.i64(first_end_);
  out.i64(last_end_);
  out.i64(max_time_);
  out.u64(skipped_pending_);
  out.u64(panes_.size());
  for (const Pane& p : panes_) {
    out.i64(p.start);
    out.u64(p.records);
    out.u64(p.floor);
    out.u64(p.counts.size());
    p.counts.for_each([&](std::string_view key, uint64_t count) {
      out.str(key);
      out.u64(count);
    });
  }
}

bool Windower::load(StateReader& in) {
  // Every time a run saves is a record's time (in [kMinTime, kMaxTime]) or a window end or pane start
  // near one: anything further out is corrupt (and arithmetic on it could overflow).
  constexpr int64_t kLow = kMinTime - 2 * kMaxDuration, kHigh = kMaxTime + 2 * kMaxDuration;
  auto plausible = [](int64_t t) { return t == kNoTime || (t >= kLow && t <= kHigh); };
  emitted_end_ = in.i64();
  first_end_ = in.i64();
  last_end_ = in.i64();
  max_time_ = in.i64();
  skipped_pending_ = in.u64();
  uint64_t panes = in.u64();
  // Each pane takes at least 24 bytes: a count larger than what is left is corrupt, not a reason to allocate.
  if (in.failed() || panes > in.left() / 24) return false;
  if (!plausible(emitted_end_) || !plausible(first_end_) || !plausible(last_end_) || !plausible(max_time_))
    return false;
  panes_.clear();
  for (uint64_t i = 0; i < panes; ++i) {
    int64_t start = in.i64();
    if (start < kLow || start > kHigh) return false;
    if (!panes_.empty() && start <= panes_.back().start) return false;  // sorted, distinct
    Pane& p = panes_.emplace_back(Pane{start, in.u64(), {}, 0});
    p.floor = in.u64();
    uint64_t keys = in.u64();
    if (in.failed() || keys > in.left() / 16) return false;
    for (uint64_t k = 0; k < keys; ++k) {
      std::string_view key = in.str();
      uint64_t count = in.u64();
      if (in.failed() || count == 0) return false;
      p.counts.add(key, count);
    }
  }
  return !in.failed();
}

}  // namespace trendtop
