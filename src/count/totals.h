// WindowTotals: a sliding window's counts kept running, so that a slide costs what changed, not what the
// window holds. The Windower adds each pane that enters the window and subtracts each that leaves (and any
// record counted into a pane the window holds); a key whose total reaches zero leaves the map. Alongside
// the totals, what ranking a window needs, kept up to date by the same changes:
//
// - ranked(): the counts ranked: the entries themselves, or with --count users (entries key US author, each
//   counting that author's records with the key) the authors per key: an author counts while any pane of
//   the window holds them, since their entry's total stays above zero until the last such pane leaves.
// - top(): the top-k, read from a candidate set that holds every key counted at least `theta` times. A
//   change touches the set only when a key crosses theta upwards; a ranking reads the set (k + 16 to
//   2k + 32 keys), not the window. theta is raised when the set grows past that, and lowered by one pass
//   over the window when fewer than k keys are left at or above it: 6 passes in 9 599 windows of
//   scripts/bench's sliding stream. Keys tied at theta all stay candidates, so a window whose k-th place
//   is shared by many keys costs a read of those.
// - spell(): the most frequent spelling of each ranked key, from the spelling markers (mark key US
//   spelling) stored under the hash of their key, so that a key's markers are found without a pass.
// - prev(): a key's count at the last mark() (the previous window printed): its count now less the changes
//   journaled since, so the previous window needs no copy.
//
// Exact: top() ranks as top_k() over ranked() would (count descending, then key bytewise), and every
// figure equals a recount of the panes the window holds.
//
// Approximate (--max-keys summaries among the panes): a pane p lists a key with count c_p or does not, and
// then may have seen it up to its floor f_p (window.h). The window's count of a key is the sum over its
// panes of c_p, or f_p where p does not list it: within [true, true + F] for F the panes' summed floors,
// as merge credits an input's error. So that a slide still costs what changed, the maps hold each key's
// excess, the sum over the panes listing it of c_p - f_p (at least 1 per pane: a listed key is above its
// pane's floor), and credit() (F) is added where counts are read: top(), prev(), previous(). The
// maps hold counts as they are when every pane is exact (credit() 0). With Spec::users the authors per key
// count whoever a pane lists, as merge does: no credit.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "count/count_map.h"
#include "count/topk.h"

namespace trendtop {

class WindowTotals {
 public:
  struct Spec {
    bool users = false;      // entries are key US author: rank authors per key
    bool spellings = false;  // keys starting with `mark` are spelling markers (mark key US spelling)
    char mark = 0;           // keys starting with it are not ranked (0: none)
  };

  WindowTotals() : WindowTotals(Spec{}) {}
  explicit WindowTotals(Spec spec);
  const Spec& spec() const { return spec_; }

  // An entry's count in the window changed by `delta` (its hash is hash_key(entry)).
  void add(std::string_view entry, uint64_t hash, int64_t delta);
  // A pane enters the window (sign 1) or leaves it (-1); its entries count above `floor` (its summary's).
  void add(const CountMap& pane, int sign, uint64_t floor = 0);
  // The panes' summed floors (F), which every count of a ranked key is credited: see above. Set by the
  // Windower whenever it changes.
  void set_error(uint64_t error) { error_ = error; }
  uint64_t error() const { return error_; }
  // What each key of ranked() is credited (error(), or 0 with Spec::users).
  uint64_t credit() const { return spec_.users ? 0 : error_; }
  // Empties the window (as subtracting everything it holds).
  void clear();

  // Every entry, as the panes hold them: the window's counts (less credit(), see above).
  const CountMap& counts() const { return counts_; }
  // What is ranked: counts(), or with Spec::users the authors per key (less credit()).
  const CountMap& ranked() const { return spec_.users ? users_ : counts_; }
  // Keys in ranked(), spelling markers aside.
  // Markers are among counts() only: with Spec::users the authors per key hold none.
  uint64_t distinct() const { return spec_.users ? users_.size() : counts_.size() - markers_; }

  // The first k keys (k == 0: all) with count >= min_count, markers aside, in rank order (ranks_before):
  // what top_k(ranked(), k, min_count, out, mark) gives, each count credited credit(). Keys are views into
  // the window, valid until it changes.
  void top(uint64_t k, uint64_t min_count, std::vector<RankedKey>& out);
  // Sets each key's display: its most frequent spelling (a tie: the bytewise smaller), when that is not
  // the key as folded (the key's count less its markers').
  void spell(std::span<RankedKey> top) const;

  // The window as it stands is the previous one from now on: prev() measures from here.
  void mark();
  bool marked() const { return journal_on_; }
  // The key's count at the last mark() (0 if it was not in the window then), credit included.
  uint64_t prev(std::string_view key) const;
  // Every key's count at the last mark(), markers aside, into `out`.
  void previous(CountMap& out) const;
  // The changes since the last mark(), to put back after a walk that marked (Windower::peek_open()).
  void save_mark(CountMap& out, uint64_t& credit) const {
    out = journal_;
    credit = mark_credit_;
  }
  void restore_mark(const CountMap& saved, uint64_t credit) {
    journal_ = saved;
    mark_credit_ = credit;
  }

  // Passes over the whole window top() made (lowering theta), for measurements and tests.
  uint64_t rescans() const { return rescans_; }
  size_t memory() const;

 private:
  struct Candidate {
    std::string_view key;
    uint64_t count;
    uint64_t hash;
  };
  bool is_marker(std::string_view key) const {
    return spec_.mark != 0 && !key.empty() && key[0] == spec_.mark;
  }
  // A key of ranked() changed by delta, to `now`.
  void ranked_change(std::string_view key, uint64_t hash, uint64_t now, int64_t delta);
  // The candidates at or above theta into cands_ (dropping those that fell below).
  void gather();
  // One pass over the window: theta anew, so that about 2k + 32 keys (or every key) are candidates.
  void rescan(uint64_t k);
  // The candidate set rebuilt from `keep` (the candidates at or above theta).
  void refill(std::span<const Candidate> keep);

  Spec spec_;
  CountMap counts_;
  CountMap users_;        // Spec::users: key -> authors (entries key US author with a count)
  CountMap spellings_;    // Spec::spellings: the markers of ranked(), each stored under hash_key(its key)
  uint64_t markers_ = 0;  // Spec::spellings: keys of ranked() that are markers
  // top(): every key with count >= theta_ is in cand_ (some below it may be too, until the next top()).
  CountMap cand_;
  uint64_t theta_ = 0;
  uint64_t floor_ = 0;  // max(1, min_count - credit()) of the last top(): theta_ and floor_ are excesses
  uint64_t error_ = 0;
  bool valid_ = false;  // cand_ and theta_ hold (set by rescan(); a top() before that rescans)
  std::vector<Candidate> cands_;
  std::vector<Candidate> drop_;
  uint64_t rescans_ = 0;
  // prev(): ranked()'s changes since the last mark(), signed (two's complement).
  CountMap journal_;
  bool journal_on_ = false;
  uint64_t mark_credit_ = 0;  // credit() at the last mark()
};

}  // namespace trendtop
