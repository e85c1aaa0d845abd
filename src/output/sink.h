// The output stage: ranked windows in, bytes out. A Sink per format (below) appends a window to a buffer,
// partial.h writes --output partial's complete counts for `trendtop merge`, and Output (output.h) writes
// the buffer to stdout with plain write(2), telling a reader that went away from a failed write.
//
// Sinks: one per output format. A sink only formats: it appends a closed window to a buffer, and the Output
// writes that buffer with one write per batch of windows. Formats:
//   text  for people: the window's bounds in UTC, its records and keys, then rank, key, count in columns;
//         keys terminal-safe (util/escape.h), colour ended on every line;
//   tsv   window_start, window_end, rank, key, count, prev, delta, rank_change (no header; tab, newline,
//         return and backslash escaped in keys, other C0, DEL and C1 controls as \xNN);
//   csv   the same columns with a header row, RFC 4180 quoting, other controls as \xNN;
//   json  one object per window per line, with "final": true|false; C0, DEL and C1 as \uNNNN.
// prev is the key's count in the previous window, delta the change, rank_change the places it moved up since
// then (negative: down; "new" when it was not ranked there).
// Text marks partial results in the window's header line; TSV and CSV only when given a final column.
#pragma once
#include <cstdint>
#include <memory>
#include <span>

#include <fmt/format.h>

#include "config.h"
#include "count/topk.h"

namespace trendtop {

struct WindowResult {
  int64_t start, end;  // ms since the epoch
  uint64_t records;    // records counted in the window
  uint64_t keys;       // distinct keys in the window
  std::span<const RankedKey> top;
  bool final = true;       // false: a running result of a window still open (--emit every, a signal)
  uint64_t max_error = 0;  // > 0: approximate (--max-keys): each count is over by at most this
};

class Sink {
 public:
  virtual ~Sink() = default;
  // Written once, before the first window, at the start of an output (the CSV header; not when appending
  // to a file that holds data already: Output::continues_file()).
  virtual void begin(fmt::memory_buffer&) {}
  virtual void window(const WindowResult& w, fmt::memory_buffer& out) = 0;
  // Whether partial results can be told apart from final ones in this format.
  virtual bool marks_partial() const { return true; }
  // Whether approximate windows (--max-keys) are marked as such in this format.
  virtual bool marks_approximate() const { return true; }
};

// `final_column`: TSV and CSV get a last column, final (true/false); without it their rows are always final.
// `trend` (--rank trend): every format adds each key's score and baseline. `color`: text marks its window
// lines bold and rank changes in colour (ANSI; only for a terminal).
std::unique_ptr<Sink> make_sink(OutputFormat format, bool final_column = false, bool trend = false,
                                bool color = false);

// Exposed for tests.
void append_json_string(fmt::memory_buffer& out, std::string_view s);
void append_csv_field(fmt::memory_buffer& out, std::string_view s);
void append_tsv_field(fmt::memory_buffer& out, std::string_view s);
// Terminal columns s takes (East Asian wide characters count 2), for aligning the text format.
size_t display_width(std::string_view s);

}  // namespace trendtop
