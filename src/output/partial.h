// Partial results (--output partial): each closed window's complete per-key counts, in a compact, versioned
// NDJSON form that `trendtop merge` sums across processes. One JSON object per line, told apart by "t":
//
//   {"t":"header","format":"trendtop-partial","version":1,"window_ms":10000,"slide_ms":10000,
//    "lateness_ms":0,"time":"event","keys":"hashtags","count":"records","case":"fold","extract":"auto"}
//   {"t":"window","start":1609486140000,"end":1609486150000,"records":559,"keys":133,"exact":true,
//    "counts":[["#smtown_live",23],["#smtown",13],...],"spellings":[["#smtown","#SMTOWN",4],...]}
//   {"t":"end","windows":6,"open":0}
//
// - The header comes first (again after an "end" when runs with --state append to one file: a
//   continuation); windows follow in order of end, each closed window once, empty ones included; "end" is
//   written when the process ends normally ("open": windows it left open, in its --state or interrupted).
// - "counts": every key with its count (count descending, then key) — the whole window, never a top-k.
//   "spellings": with --case fold, how often a key was written in a spelling other than the folded key, so
//   the merge shows each key in its most frequent spelling. With --count users, "authors" lists every
//   [key, author] pair, because distinct authors cannot be summed ("counts" then holds authors per key).
// - Only closed windows are written: running results (--emit every) cannot be asked for, and a signal
//   leaves the open windows unwritten (kept in the --state file when there is one), so every window line is
//   final and a merge of exact inputs is exact.
// - "exact": true for complete counts. Reserved for a heavy-hitter summary (approximate windows): "exact":
//   false with "error": the most any key's count may be over (Space-Saving); counts then are estimates of
//   the monitored keys, a merge adds counts and errors, and its result is approximate.
// - Readers refuse another major "version"; unknown fields are ignored, so fields can be added.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "count/count_map.h"
#include "count/window.h"

namespace trendtop {

inline constexpr uint64_t kPartialVersion = 1;

// The settings a partial stream was counted with.
struct PartialHeader {
  uint64_t version = kPartialVersion;
  int64_t window_ms = 0, slide_ms = 0, lateness_ms = 0;
  // --max-skew: runs of empty windows longer than this were skipped; a merge skips the same ones. Absent in
  // streams of older writers: the default.
  int64_t max_skew_ms = 3'600'000;
  std::string time, keys, count, case_mode, extract;
};

// Formats partial lines. Reuses its vectors from window to window.
class PartialWriter {
 public:
  void header(const PartialHeader& h, fmt::memory_buffer& out) const;
  // `users`: the window's keys are key US author (--count users).
  void window(const ClosedWindow& w, bool users, fmt::memory_buffer& out);
  void end(uint64_t windows, uint64_t open, fmt::memory_buffer& out) const;

 private:
  std::vector<std::pair<std::string_view, uint64_t>> counts_;
  std::vector<std::tuple<std::string_view, std::string_view, uint64_t>> spellings_;
  std::vector<std::pair<std::string_view, std::string_view>> authors_;
  CountMap per_key_;
};

// One parsed line. Strings are views into the parser's buffer: valid until the next parse.
struct PartialLine {
  enum class Kind { Header, Window, End };
  Kind kind = Kind::Window;
  PartialHeader header;
  int64_t start = 0, end = 0;
  uint64_t records = 0;
  bool exact = true;
  uint64_t error = 0;  // exact == false: the most a count may be over
  std::vector<std::pair<std::string_view, uint64_t>> counts;
  std::vector<std::tuple<std::string_view, std::string_view, uint64_t>> spellings;
  std::vector<std::pair<std::string_view, std::string_view>> authors;
  uint64_t windows = 0, open = 0;  // End
};

class PartialParser {
 public:
  // Parses one line (no newline). False with a reason when it is not a well-formed partial line.
  bool parse(std::string_view line, PartialLine& out, std::string& why);

 private:
  simdjson::ondemand::parser parser_;
  std::string buf_;  // the line with simdjson's padding
};

// Adds a parsed window's counts to `into` in the windows' own key encoding (spelling markers, key US author).
// `scratch` is reused for building encoded keys.
void add_partial_counts(const PartialLine& w, bool users, CountMap& into, std::string& scratch);

}  // namespace trendtop
