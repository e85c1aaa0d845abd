// Merger (`trendtop merge`): sums the partial streams (partial.h) of any number of processes window by
// window and prints the final top-k of each window as a single run over all their input would.
//
// Streaming: each input is in window order, so a window is complete once every input still open has
// written a window ending at or after it (or ended). The merger reads the input furthest behind first,
// prints every complete window in order of end — empty windows in between included, as a single run
// prints them — and forgets it: memory is the windows open between the slowest and the fastest input.
//
// Refused (an error, exit 1), rather than summed wrong: inputs counted with other settings (the header holds
// every setting that changes counts; the message names the first that differs, with both files); the same
// partial stream twice (its run id and segment seen before, in another input or the same); a sum past
// 2^64 - 1; an input that is no partial stream at all (empty, or without a header: tweets, say). A line
// that is not a partial line, or a window out of order, is counted as bad and skipped. An input that ends
// without its end line is reported (its process may have died). The segments of one run (resumed with
// --state, appended to one file or in files of their own) continue each other; a window that a resumed
// run printed again (its process died after printing it, before saving it) is merged once.
#pragma once
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config.h"
#include "count/count_map.h"
#include "output/output.h"
#include "output/partial.h"
#include "pipeline.h"

namespace trendtop {

struct MergeStats {
  uint64_t lines = 0;       // lines read from all inputs
  uint64_t windows_in = 0;  // window lines summed
  uint64_t bad = 0;         // lines skipped: not partial lines, bad fields, out of order
  uint64_t windows = 0;     // merged windows printed
  bool approximate = false;
};

class Merger {
 public:
  // `options`: --top, --min-count, --rank, --baseline, --output, --intervals; the window settings come from
  // the inputs' headers.
  Merger(const Config& options, Output& output);
  ~Merger();
  // An input to read (not owned; the caller closes it). `name` is for messages.
  void add_input(std::string name, std::FILE* in);
  // Reads every input to its end (or until --intervals or the output's reader went away) and prints the
  // merged windows. False on a fatal error (inputs that cannot be merged), with error() saying why.
  bool run();
  const std::string& error() const { return error_; }
  // Warnings and the first bad line, for stderr (one line each).
  const std::vector<std::string>& notes() const { return notes_; }
  const MergeStats& stats() const { return stats_; }

 private:
  struct Input {
    std::string name;
    std::FILE* in = nullptr;
    int64_t last_end = kNoTime;  // end of the last window read, kNoTime before the first
    uint64_t line = 0;
    bool header = false;   // a header was read (and not yet closed by an end line)
    bool ended = false;    // EOF
    bool clean = false;    // the last thing read was an end line
    uint64_t open = 0;     // windows its last end line says were left open
    bool any = false;      // a line that is not blank was read
    bool partial = false;  // a header was read
    std::string first;     // what its first line is, when it is no header (for the error)
    uint32_t run = 0;      // the current stream's run (index into runs_; 0: none given)
    uint64_t segment = 0;
    bool resumed = false;              // the current header continues the stream before it (the same run)
    uint64_t repeats = 0;              // windows a resumed run printed again, skipped
    std::optional<uint64_t> max_keys;  // its header's --max-keys (none from an earlier trendtop)
    bool approximate = false;          // it gave an approximate window (named in the warning)
  };
  struct Open {
    int64_t start;
    uint64_t records = 0;
    uint64_t error = 0;  // approximate inputs: their errors add up, as Space-Saving summaries do
    CountMap counts;
    // Approximate inputs: for each key they list, the sum of their errors. A key an approximate input does
    // not list may have occurred there up to its error (evicted from its summary), so the key is credited
    // error - listed[key] when the window is printed: counts stay at least the true ones.
    CountMap listed;
    std::vector<uint32_t> runs;  // the runs that gave this window: one window per run is summed
  };
  // A stream that ended with windows still open, reported unless its run's next segment is an input too.
  struct LeftOpen {
    std::string name;
    uint64_t open;
    uint32_t run;
    uint64_t segment;
  };
  // Reads and handles one line of `in`; false on a fatal error.
  bool step(Input& in);
  bool header(Input& in, const PartialHeader& h);
  bool window(Input& in, const PartialLine& w);
  void approximate_warning(const Input& found);
  void bad(const Input& in, const std::string& why);
  // A sum past 2^64 - 1: the error, and false.
  bool overflow(const Input& in, const PartialLine& w, std::string_view what);
  // Prints every open window ending at or before `frontier`.
  bool print_through(int64_t frontier);
  // The counts of the open window ending at `end` as printed: with approximate inputs, each key credited the
  // errors of those that do not list it. Null (and the error) for a sum past 2^64 - 1.
  const CountMap* credit(int64_t end, const Open& o);
  bool print(int64_t start, int64_t end, uint64_t records, const CountMap& counts, uint64_t error = 0,
             uint64_t skipped_before = 0);

  const Config& options_;
  Output& output_;
  Config config_;  // options_ plus the inputs' window settings
  std::unique_ptr<Pipeline> pipeline_;
  PartialHeader first_;
  std::string first_name_;
  std::vector<std::string> first_settings_;
  std::map<std::string, uint32_t> run_ids_;                       // run id -> index (from 1)
  std::map<std::pair<uint32_t, uint64_t>, std::string> streams_;  // (run, segment) -> the input holding it
  std::vector<LeftOpen> left_open_;
  std::vector<Input> inputs_;
  std::map<int64_t, Open> open_;  // by end
  std::vector<CountMap> spare_;
  CountMap empty_;
  CountMap credited_;  // a window's counts with the credit of the approximate inputs that did not list a key
  int64_t printed_end_;
  PartialParser parser_;
  PartialLine parsed_;
  std::string scratch_;
  char* line_ = nullptr;
  size_t line_cap_ = 0;
  MergeStats stats_;
  std::string error_;
  std::vector<std::string> notes_;
  bool stopped_ = false;
};

// `trendtop merge FILE...`: opens the inputs (none or "-": stdin), merges them to stdout, prints --stats;
// returns the exit status.
int run_merge(const Config& config);

}  // namespace trendtop
