#include "count/totals.h"

#include <algorithm>
#include <cstddef>

namespace trendtop {

namespace {
// top(): the candidate set is brought back to about target_size(k) keys once it holds more than
// limit_size(k). Fewer means fewer keys to read per window and more passes when the top-k drifts down: at
// 2k + 32 / 4k + 64 the sliding bench made 4 passes and 4 % more instructions (callgrind) than now.
size_t target_size(uint64_t k) {
  return static_cast<size_t>(k + 16);
}
size_t limit_size(uint64_t k) {
  return static_cast<size_t>(2 * k + 32);
}
}  // namespace

WindowTotals::WindowTotals(Spec spec) : spec_(spec) {}

void WindowTotals::add(std::string_view entry, uint64_t hash, int64_t delta) {
  uint64_t now = counts_.adjust_hashed(entry, hash, delta);
  // Spelling markers are counted per record whatever is ranked (--count users too: they are no authors).
  if (!spec_.users || is_marker(entry)) return ranked_change(entry, hash, now, delta);
  // An author's entry appeared in the window or left it: the key's authors change by one.
  uint64_t before = now - static_cast<uint64_t>(delta);
  if ((before == 0) == (now == 0)) return;
  std::string_view key = entry.substr(0, entry.rfind('\x1f'));
  uint64_t h = hash_key(key);
  int64_t d = now == 0 ? -1 : 1;
  ranked_change(key, h, users_.adjust_hashed(key, h, d), d);
}

void WindowTotals::add(const CountMap& pane, int sign, uint64_t floor) {
  pane.for_each_entry([&](const CountMap::Entry& e) {
    int64_t n = static_cast<int64_t>(e.count - floor);  // a listed key is above its pane's floor
    add(pane.key(e), e.hash, sign > 0 ? n : -n);
  });
}

void WindowTotals::ranked_change(std::string_view key, uint64_t hash, uint64_t now, int64_t delta) {
  if (is_marker(key)) {
    if (!spec_.spellings) return;
    uint64_t before = now - static_cast<uint64_t>(delta);
    if (before == 0) {
      ++markers_;
    } else if (now == 0) {
      --markers_;
    }
    // Stored under its key's hash: spell() finds a key's markers in the probe run from there.
    if (size_t us = key.find('\x1f'); us != std::string_view::npos)
      spellings_.adjust_hashed(key, hash_key(key.substr(1, us - 1)), delta);
    return;
  }
  if (journal_on_) journal_.adjust_hashed(key, hash, delta);
  // Crossed theta upwards: a candidate (it may be one already, left there when it fell below).
  if (valid_ && delta > 0 && now >= theta_ && now - static_cast<uint64_t>(delta) < theta_ &&
      cand_.get_hashed(key, hash) == 0)
    cand_.add_hashed(key, hash, 1);
}

void WindowTotals::clear() {
  if (journal_on_) {
    const CountMap& r = ranked();
    r.for_each_entry([&](const CountMap::Entry& e) {
      std::string_view key = r.key(e);
      if (!is_marker(key)) journal_.adjust_hashed(key, e.hash, -static_cast<int64_t>(e.count));
    });
  }
  counts_.clear();
  users_.clear();
  spellings_.clear();
  markers_ = 0;
  cand_.clear();
  valid_ = false;
}

void WindowTotals::gather() {
  cands_.clear();
  drop_.clear();
  const CountMap& r = ranked();
  cand_.for_each_entry([&](const CountMap::Entry& e) {
    std::string_view key = cand_.key(e);
    const CountMap::Entry* x = r.find_hashed(key, e.hash);
    if (x != nullptr && x->count >= theta_) {
      cands_.push_back({r.key(*x), x->count, e.hash});
    } else {
      drop_.push_back({key, 0, e.hash});
    }
  });
  for (const Candidate& d : drop_) cand_.adjust_hashed(d.key, d.hash, -1);  // removing moves no key bytes
}

void WindowTotals::refill(std::span<const Candidate> keep) {
  // A set that was large once would cost its slots at every gather(): start small again.
  if (cand_.capacity() > 4 * (keep.size() + 64)) {
    cand_ = CountMap();
  } else {
    cand_.clear();
  }
  for (const Candidate& c : keep) cand_.add_hashed(c.key, c.hash, 1);
}

void WindowTotals::rescan(uint64_t k) {
  ++rescans_;
  cands_.clear();
  const CountMap& r = ranked();
  r.for_each_entry([&](const CountMap::Entry& e) {
    std::string_view key = r.key(e);
    if (e.count >= floor_ && !is_marker(key)) cands_.push_back({key, e.count, e.hash});
  });
  theta_ = floor_;
  if (cands_.size() > limit_size(k)) {
    auto nth = cands_.begin() + static_cast<std::ptrdiff_t>(target_size(k));
    std::nth_element(cands_.begin(), nth, cands_.end(),
                     [](const Candidate& a, const Candidate& b) { return a.count > b.count; });
    theta_ = nth->count;
    cands_.erase(
        std::partition(cands_.begin(), cands_.end(), [&](const Candidate& c) { return c.count >= theta_; }),
        cands_.end());
  }
  refill(cands_);
  valid_ = true;
}

void WindowTotals::top(uint64_t k, uint64_t min_count, std::vector<RankedKey>& out) {
  // Ranked by excess: the credit is the same for every key, so the order is the counts'.
  uint64_t credit = this->credit();
  uint64_t floor = std::max<uint64_t>(1, min_count > credit ? min_count - credit : 0);
  if (k == 0) {
    top_k(ranked(), 0, floor, out, spec_.mark);
    for (RankedKey& r : out) r.count += credit;
    return;
  }
  if (floor != floor_ || !valid_) {
    floor_ = floor;
    rescan(k);
  }
  gather();
  // Fewer than k keys at or above theta: the top-k may hold keys below it, which only a pass finds. After
  // it there are more than k candidates, or every key is one.
  if (cands_.size() < k && theta_ > floor_) {
    rescan(k);
    gather();
  }
  if (cands_.size() > limit_size(k)) {
    // Too many candidates (a burst of keys, or the window filling): raise theta to keep about the target.
    auto nth = cands_.begin() + static_cast<std::ptrdiff_t>(target_size(k));
    std::nth_element(cands_.begin(), nth, cands_.end(),
                     [](const Candidate& a, const Candidate& b) { return a.count > b.count; });
    if (nth->count > theta_) {
      theta_ = nth->count;
      cands_.erase(
          std::partition(cands_.begin(), cands_.end(), [&](const Candidate& c) { return c.count >= theta_; }),
          cands_.end());
      refill(cands_);
    }
  } else if (cand_.capacity() > 8 * (cand_.size() + 64)) {
    refill(cands_);
  }
  out.clear();
  for (const Candidate& c : cands_) out.push_back({c.key, c.count + credit});
  if (k < out.size()) {
    std::nth_element(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(k), out.end(), ranks_before);
    out.resize(k);
  }
  std::sort(out.begin(), out.end(), ranks_before);
}

void WindowTotals::spell(std::span<RankedKey> top) const {
  if (!spec_.spellings) return;
  for (RankedKey& r : top) {
    std::string_view best;
    uint64_t best_count = 0, others = 0;
    spellings_.for_each_hashed(hash_key(r.key), [&](std::string_view marker, uint64_t n) {
      size_t us = marker.find('\x1f');  // there is one: only such markers are stored
      if (marker.substr(1, us - 1) != r.key) return;
      std::string_view spelling = marker.substr(us + 1);
      others += n;
      if (n > best_count || (n == best_count && spelling < best)) {
        best = spelling;
        best_count = n;
      }
    });
    // The key as folded is a spelling too, counted by what its markers leave; with --count users every
    // spelling has a marker (the count is of authors), so the markers alone decide.
    uint64_t excess = r.count - credit();  // markers are excesses too
    uint64_t as_key = spec_.users ? 0 : excess - std::min(excess, others);
    if (best_count > 0 && best != r.key && (best_count > as_key || (best_count == as_key && best < r.key)))
      r.display = best;
  }
}

void WindowTotals::mark() {
  // The journal holds one slide's changes; one that grew (a jump) is let go rather than cleared each time.
  if (journal_.capacity() > 256 && journal_.size() * 16 < journal_.capacity()) {
    journal_ = CountMap();
  } else {
    journal_.clear();
  }
  journal_on_ = true;
  mark_credit_ = credit();
}

uint64_t WindowTotals::prev(std::string_view key) const {
  uint64_t h = hash_key(key);
  uint64_t then = ranked().get_hashed(key, h) - journal_.get_hashed(key, h);
  return then == 0 ? 0 : then + mark_credit_;
}

void WindowTotals::previous(CountMap& out) const {
  out.clear();
  const CountMap& r = ranked();
  r.for_each_entry([&](const CountMap::Entry& e) {
    std::string_view key = r.key(e);
    uint64_t then = e.count - journal_.get_hashed(key, e.hash);
    if (!is_marker(key) && then != 0) out.add_hashed(key, e.hash, then + mark_credit_);
  });
  // Keys gone since: their count then is what the journal took away.
  journal_.for_each_entry([&](const CountMap::Entry& e) {
    std::string_view key = journal_.key(e);
    if (r.find_hashed(key, e.hash) == nullptr && e.count != 0)
      out.add_hashed(key, e.hash, 0 - e.count + mark_credit_);
  });
}

size_t WindowTotals::memory() const {
  return counts_.memory() + users_.memory() + spellings_.memory() + cand_.memory() + journal_.memory() +
         (cands_.capacity() + drop_.capacity()) * sizeof(Candidate);
}

}  // namespace trendtop
