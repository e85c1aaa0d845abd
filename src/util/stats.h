// Stats: every input line is accounted for exactly once:
//   lines = counted + malformed + skipped + filtered + late + oversized + blank + skewed + held + discarded
// counted: tweets counted in at least one window; skipped: valid records that are not tweets (delete and
// limit notices), or tweets without a timestamp in event time; late: tweets whose windows had all been
// emitted; skewed: tweets whose event time --max-skew rejected (ahead of the wall clock, or a lone jump the
// next record of its source contradicted); held: jumps waiting for their source's next record to confirm
// them (at most one per source; 0 at the end of a run without --state); discarded: lines read after the run
// was over (the output failed or its reader went away, or --intervals was reached), never looked at — with
// parsing threads, those already handed to them.
// A source's line count (--stats per source) is the lines it gave the pipeline, so the two always agree.
// Discarded lines are not carried in --state: the next run counts neither them nor their lines.
#pragma once
#include <cstdint>
#include <string>

namespace trendtop {

struct Stats {
  uint64_t lines = 0;
  uint64_t counted = 0;
  uint64_t malformed = 0;
  uint64_t skipped = 0;
  uint64_t filtered = 0;  // statuses --track, --lang or --no-retweets left out
  uint64_t late = 0;
  uint64_t oversized = 0;
  uint64_t blank = 0;
  uint64_t skewed = 0;
  uint64_t held = 0;
  uint64_t discarded = 0;
  uint64_t windows = 0;   // final windows emitted
  uint64_t partials = 0;  // partial results printed (--emit every, signals)
  uint64_t keys = 0;      // keys counted (a record with 3 hashtags adds 3)
  uint64_t bytes = 0;     // input bytes read
  uint64_t read_errors = 0;

  bool balanced() const {
    return lines ==
           counted + malformed + skipped + filtered + late + oversized + blank + skewed + held + discarded;
  }
  // Lines read but not counted for a reason worth telling (not blank lines, notices or --track's choices).
  uint64_t dropped() const { return malformed + late + oversized + skewed; }
  // "654 of 3480 lines not counted: 654 late (see --lateness)", each reason with the option that governs
  // it; empty when nothing was dropped.
  std::string dropped_summary() const;
  // The counters since `before` (taken earlier from the same counters: none goes back).
  Stats since(const Stats& before) const;
  // "lines=.. counted=.. ... elapsed=1.234s lines_per_s=.. mb_per_s=..": the rates are `run`'s lines and
  // bytes over the elapsed time (a resumed --state run's counters include the earlier runs'; its rates
  // are its own).
  std::string format(double elapsed_s, const Stats& run) const;
  std::string format(double elapsed_s) const { return format(elapsed_s, *this); }
};

}  // namespace trendtop
