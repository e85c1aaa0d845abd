// The count stage: records' keys in (with their event or arrival time and their hashes, from extract/),
// closed windows out, each a CountMap of key -> count (count_map.h), ranked by count (topk.h) or by trend
// against each key's baseline (rank.h). Windows are cut, kept and closed here (the Windower below); the
// output stage formats what closes. No I/O and no clock of its own: tests drive it with any times.
//
// Windower: event-time windows over panes. I/O-free and clock-free, so tests drive it with any times.
//
// Time is cut into panes of `slide` ms aligned to the Unix epoch; a window is [end - window, end) with `end`
// a multiple of the slide, i.e. window/slide consecutive panes. A record counts in its pane, once.
//
// Semantics, defined as if records were processed one at a time in input order:
// - E is the end of the last emitted window (none at first). A record's windows are those containing its
//   time; those ending after E are open. With none open, the record is late (dropped; the caller counts it).
// - watermark = max time seen - lateness (process(); a caller with several sources passes its own to
//   advance(), see count/clocks.h). Every window ending at or before it is emitted, in order of end,
//   starting right after E, or before the first emission at the earliest window any counted record fell in
//   (or the one containing start_at()'s time), empty windows in between included.
// - flush() emits what is left, up to the last window that holds a record (or the one containing `now`).
// - Except: a run of consecutive empty windows longer than spec.max_gap_ms is skipped, not emitted.
// A pane is recycled as soon as no open window needs it, so memory follows the open windows' keys.
// Times are in [kMinTime, kMaxTime] and durations at most kMaxDuration (util/clock.h): no arithmetic here
// comes near int64's limits. A run of windows can still be long (years of empty windows with max_gap_ms 0):
// a stop flag (stop_on) ends it early.
//
// Sliding windows (window > slide) are not summed pane by pane: the Windower keeps the running totals
// (totals.h) of one window, the one asked for last, and moves them to the next by adding the panes that
// enter and subtracting those that leave; a record counted into a pane the totals hold is added to them
// too. A slide then costs the panes that changed, whatever the window holds. With --max-keys summaries the
// totals hold each key's excess over the panes' floors and credit every key their sum (totals.h): a key a
// pane does not list may have been evicted from it, so the window's counts stay at least the true ones. A
// summary is subtracted as it stands when it leaves, and an eviction from a summary the totals hold (its
// floor rising) is applied when it happens, so the totals are always what resum() gives.
#pragma once
#include <algorithm>
#include <csignal>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "count/count_map.h"
#include "count/totals.h"
#include "util/clock.h"
#include "util/serial.h"

namespace trendtop {

struct WindowSpec {
  int64_t window_ms;
  int64_t slide_ms;
  int64_t lateness_ms;
  // A run of empty windows spanning more than this (--max-skew) is skipped rather than emitted one by one:
  // a record dated decades early, or an archive's gap of months, must not print millions of empty windows.
  // 0: every empty window is emitted.
  int64_t max_gap_ms = 0;
  // --max-keys: distinct keys a pane may hold (0: no limit). Past it the pane becomes a Space-Saving summary
  // (see Windower::compact): memory stays flat under a flood of one-off keys, heavy hitters stay, and each
  // count is over by at most the window's max_error.
  uint64_t max_keys = 0;
  // How the running totals of sliding windows read keys (--count users, spelling markers).
  WindowTotals::Spec totals = {};
};

struct ClosedWindow {
  int64_t start, end;
  uint64_t records;
  const CountMap& counts;
  uint64_t skipped_before = 0;  // empty windows skipped (spec.max_gap_ms) since the previous one emitted
  // 0: exact. Else the window's panes hit spec.max_keys: every count is at least the true count and at most
  // max_error above it, and a key not in the window occurred at most max_error times.
  uint64_t max_error = 0;
  // What each count of `counts` is short of the window's, spelling markers aside (sliding windows over
  // summaries: totals.h; 0 for exact windows and with --count users).
  uint64_t credit = 0;
  // Sliding windows: the running totals `counts` belongs to, with the window's ranking kept incrementally
  // (null for tumbling windows and windows assembled elsewhere). Valid, like `counts`, during the call.
  WindowTotals* totals = nullptr;
};

class Windower {
 public:
  // Receives each closed window; returns false to stop emitting (e.g. --intervals reached).
  using Emit = std::function<bool(const ClosedWindow&)>;

  explicit Windower(WindowSpec spec);

  // Makes the window containing t the first to emit even if no record falls in it (arrival time: windows
  // are printed from the start of the run, empty or not).
  void start_at(int64_t t);
  // Counts a record at time t with these keys (each key counted once per call, as given). Returns false when
  // the record is late. Emits nothing: call advance() with the new watermark. `hashes`, when given, holds
  // hash_key() of each key, computed elsewhere (by a parsing thread).
  bool add(int64_t t, std::span<const std::string_view> keys, std::span<const uint64_t> hashes = {});
  // A record at event time t was seen (counted or late): max_time() follows it. With add() and advance(),
  // what process() does, for a caller whose watermark is not this max_time() - lateness (several sources'
  // clocks, count/clocks.h).
  void saw(int64_t t) { max_time_ = std::max(max_time_, t); }
  // A record at event time t: add(), then move the watermark and emit what it closed. Returns false if late.
  bool process(int64_t t, std::span<const std::string_view> keys, const Emit& emit, bool& stopped,
               std::span<const uint64_t> hashes = {});
  // Emits every window ending at or before `watermark`. Returns false if emit asked to stop.
  bool advance(int64_t watermark, const Emit& emit);
  // End of input: emits every remaining window up to the last one holding a record, and at least up to the
  // window containing `now` (kNoTime: no such minimum). Returns false if emit asked to stop.
  bool flush(const Emit& emit, int64_t now = kNoTime);

  // Visits the windows still open, from next_end() through the last one holding a record (at least through
  // `through`), with what they hold now, without closing anything: partial results. The running totals'
  // mark is as it was before (a visitor may mark the windows it visits).
  bool peek_open(const Emit& visit, int64_t through = kNoTime);
  // How many windows peek_open() would visit.
  uint64_t open_windows(int64_t through = kNoTime) const;
  // Sliding windows: the running totals (null for tumbling ones).
  const WindowTotals* totals() const { return sliding_ ? &running_ : nullptr; }
  // The window ending at `end` summed pane by pane into `out` (cleared first), with its records and error:
  // what the running totals hold when moved there (sliding: each key's excess over the floors of the panes
  // listing it), recomputed the slow way (tests compare the two).
  void resum(int64_t end, CountMap& out, uint64_t& records, uint64_t& error) const;

  // A flag (set by a stop signal) that cuts a long run of windows short: once advance() or peek_open() went
  // through kStopCheckAfter windows in one call, they return as soon as it is set, leaving the rest for
  // later (a resumed run emits them). Short runs, the usual ones, are never cut.
  static constexpr uint64_t kStopCheckAfter = 4096;
  void stop_on(const volatile std::sig_atomic_t* flag) { stop_ = flag; }
  // Whether a run of windows was cut short by the stop flag.
  bool interrupted() const { return interrupted_; }

  // End of the next window to emit, kNoTime before anything can be emitted.
  int64_t next_end() const;
  // The last window end holding a counted record, kNoTime if none.
  int64_t last_end() const { return last_end_; }
  int64_t watermark() const { return max_time_ == kNoTime ? kNoTime : max_time_ - spec_.lateness_ms; }
  // The latest event time seen (process()), kNoTime before any.
  int64_t max_time() const { return max_time_; }
  // Empty windows skipped under spec.max_gap_ms.
  uint64_t skipped_windows() const { return skipped_windows_; }
  size_t live_panes() const { return panes_.size(); }

  // The whole state (--state). load() expects a fresh Windower with the same spec; false if the data is bad.
  void save(StateWriter& out) const;
  bool load(StateReader& in);

 private:
  struct Pane {
    int64_t start;
    uint64_t records = 0;
    CountMap counts;
    // Space-Saving (after the pane hit max_keys): the largest count ever evicted. A key not in the map
    // occurred at most floor times; a key that (re)enters starts at floor + 1, so counts never undercount.
    uint64_t floor = 0;
  };
  // The pane reached max_keys: evicts its smaller half and raises its floor.
  void compact(Pane& pane);
  Pane& pane_at(int64_t start);
  // The window ending at `end` as it stands (a pane's map, or the running totals moved there).
  ClosedWindow contents(int64_t end);
  // Whether the running totals hold the pane starting at `start`.
  bool running_holds(int64_t start) const { return sliding_ && start >= run_lo_ && start < run_hi_; }
  // Moves the running totals to the window ending at `end`.
  void seek(int64_t end);
  // The panes with start in [from, to) into (sign 1) or out of (-1) the running totals.
  void apply_panes(int64_t from, int64_t to, int sign);
  void apply_pane(const Pane& pane, int sign);
  bool emit_window(int64_t end, const Emit& emit);
  // The last window end of a run of empty windows from `end` (through at most `limit`) longer than
  // spec.max_gap_ms, or kNoTime if there is no such run.
  int64_t gap_from(int64_t end, int64_t limit) const;
  void release_panes_before(int64_t start);

  WindowSpec spec_;
  // Sorted by start, only panes some open window needs: released from the front, one per slide, so a
  // deque (a vector would move every pane left at each slide: a -w 1h -s 1s window has 3 600).
  std::deque<Pane> panes_;
  std::vector<CountMap> spare_;                                // recycled maps
  CountMap scratch_;                                           // compact()'s rebuilt map
  std::vector<std::pair<uint64_t, std::string_view>> ranked_;  // compact()'s scratch
  CountMap empty_;
  int64_t emitted_end_ = kNoTime;  // E
  int64_t first_end_ = kNoTime;    // before the first emission: the earliest window to emit
  int64_t last_end_ = kNoTime;     // the last window end that holds a counted record
  int64_t max_time_ = kNoTime;
  uint64_t skipped_windows_ = 0;
  uint64_t skipped_pending_ = 0;  // skipped since the last emission, for the next ClosedWindow
  const volatile std::sig_atomic_t* stop_ = nullptr;
  bool interrupted_ = false;
  // Whether the `n`th window of a run must not be gone through: the stop flag is set and the run is long.
  bool cut(uint64_t n) {
    if (n <= kStopCheckAfter || stop_ == nullptr || *stop_ == 0) return false;
    interrupted_ = true;
    return true;
  }
  // Sliding windows: the running totals of the panes with start in [run_lo_, run_hi_), their records and
  // their summaries' error.
  bool sliding_;
  WindowTotals running_;
  int64_t run_lo_ = 0, run_hi_ = 0;
  uint64_t run_records_ = 0, run_error_ = 0;
  CountMap peek_mark_;  // peek_open(): the running totals' mark, put back after the walk
  uint64_t peek_credit_ = 0;
};

}  // namespace trendtop
