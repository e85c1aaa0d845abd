// Sinks: one per output format. A sink only formats: it appends a closed window to a buffer, and the Output
// writes that buffer with one write per batch of windows. Formats:
//   text  for people: the window's bounds in UTC, its records and keys, then rank, key, count in columns;
//   tsv   window_start, window_end, rank, key, count (no header; \t \n \r \\ escaped in keys);
//   csv   the same columns with a header row, RFC 4180 quoting;
//   json  one object per window per line.
#pragma once
#include <cstdint>
#include <memory>
#include <span>

#include <fmt/format.h>

#include "config.h"
#include "topk.h"

namespace trendtop {

struct WindowResult {
  int64_t start, end;  // ms since the epoch
  uint64_t records;    // records counted in the window
  uint64_t keys;       // distinct keys in the window
  std::span<const RankedKey> top;
};

class Sink {
 public:
  virtual ~Sink() = default;
  // Written once, before the first window (the CSV header).
  virtual void begin(fmt::memory_buffer&) {}
  virtual void window(const WindowResult& w, fmt::memory_buffer& out) = 0;
};

std::unique_ptr<Sink> make_sink(OutputFormat format);

// Exposed for tests.
void append_json_string(fmt::memory_buffer& out, std::string_view s);
void append_csv_field(fmt::memory_buffer& out, std::string_view s);
void append_tsv_field(fmt::memory_buffer& out, std::string_view s);
// Terminal columns s takes (East Asian wide characters count 2), for aligning the text format.
size_t display_width(std::string_view s);

}  // namespace trendtop
