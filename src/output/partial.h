// Partial results (--output partial): each closed window's complete per-key counts, in a compact, versioned
// NDJSON form that `trendtop merge` sums across processes. One JSON object per line, told apart by "t":
//
//   {"t":"header","format":"trendtop-partial","version":2,"run":"5f0c...","segment":0,"source":"stdin",
//    "window_ms":10000,"slide_ms":10000,"lateness_ms":0,"max_skew_ms":3600000,"time":"event",
//    "keys":"hashtags","extract":"auto","count":"records","case":"fold","schema":"auto","key_field":"",
//    "text_field":"","time_field":"","user_field":"","max_line":16777216,"track":[],"lang":[],
//    "no_retweets":false,"exclude":"","stopwords":""}
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
// - The header holds every setting that changes what is counted (trendtop merge refuses to sum streams
//   whose settings differ): lists in their normalised, sorted form ("track", "lang"), long ones as their
//   size and a hash ("exclude": --exclude and --exclude-file; "stopwords": with --keys words, the words
//   left out). And the stream's identity: "run", random, kept in the --state file so that every run resumed
//   from it continues the same stream, and "segment", 0 for the first of those runs and one more for each
//   resume; merge refuses the same (run, segment) twice. "source": what it read, for people.
// - Readers refuse another "version" (version 1 had neither the settings nor the identity); unknown fields
//   are ignored, so fields can be added.
#pragma once
#include <cstdint>
#include <optional>
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

inline constexpr uint64_t kPartialVersion = 2;

// The settings a partial stream was counted with, and its identity.
struct PartialHeader {
  uint64_t version = kPartialVersion;
  std::string run;       // 32 hex digits; empty in hand-made streams (then never taken for a duplicate)
  uint64_t segment = 0;  // runs resumed from the same --state: 0, 1, 2...
  std::string source;    // "stdin", files, addresses, "kafka BROKERS TOPIC"
  int64_t window_ms = 0, slide_ms = 0, lateness_ms = 0;
  // --max-skew: runs of empty windows longer than this were skipped; a merge skips the same ones.
  int64_t max_skew_ms = 3'600'000;
  std::string time, keys, count, case_mode, extract, schema;
  std::string key_field, text_field, time_field, user_field;  // --schema json's paths ("" when not given)
  uint64_t max_line = 0;
  // --max-keys (0: no limit): not a setting merge compares (limits differ, windows still add up), but what
  // made a stream's windows approximate, for the merge's warning. None in streams of earlier trendtops.
  std::optional<uint64_t> max_keys;
  std::vector<std::string> track, lang;  // normalised, sorted
  bool no_retweets = false;
  std::string exclude, stopwords;  // "" (none), or "N keys, hash H" / "N words, hash H"
};

// Each setting of `h` as a command line would say it ("--keys hashtags", "no --track", "--exclude/
// --exclude-file (2 keys, hash 1f...)"), in a fixed order: two streams can be summed when these are equal.
std::vector<std::string> describe_settings(const PartialHeader& h);

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
  bool record_like = false;        // fields of a tweet or post ("created_at", "text", ...) were seen
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
// `scratch` is reused for building encoded keys. False when a count would pass 2^64 - 1 (`into` then holds
// part of the window).
bool add_partial_counts(const PartialLine& w, bool users, CountMap& into, std::string& scratch);

}  // namespace trendtop
