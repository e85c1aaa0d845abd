// --chart FILE.svg: the counts of the top keys over the last windows of the run, one line per key, time (UTC)
// on the x axis, as a standalone SVG 1.1 file (hand-written through fmt: no library needed for lines and
// text). Memory is bounded: the chart covers the last kWindows final windows (at most kKeysPerWindow keys
// of each), and the kKeys keys with the most records over them. A key's count is known only where it was
// ranked (in the top --top): its line is broken where it was not (--top 0 ranks every key).
#pragma once
#include <cstdint>
#include <string>

#include "terminal/history.h"

namespace trendtop {

class Chart {
 public:
  static constexpr size_t kWindows = 120;
  static constexpr size_t kKeys = 10;
  static constexpr size_t kKeysPerWindow = 100;  // the top 10 over 120 windows come from these

  explicit Chart(std::string path) : path_(std::move(path)) {}
  // A final window (partial ones are not charted).
  void window(const WindowResult& w);
  // Rewrites the file atomically (a temporary file in the same directory, renamed over it): a reader
  // sees the old chart or the new one, never half of one. False with a message when it cannot.
  bool write(std::string& error);
  // Whether windows came since the last write (or nothing was written yet).
  bool dirty() const { return dirty_; }
  // Whether the file can be written (a temporary file is created in its directory and removed), without
  // touching a chart already there.
  bool probe(std::string& error) const;
  const History& history() const { return history_; }

 private:
  std::string path_;
  History history_{kWindows, kKeysPerWindow};
  bool dirty_ = true;  // the first write draws an empty chart
};

// The SVG of `history`'s windows (for tests).
std::string chart_svg(const History& history, size_t max_keys);
// `s` as XML character data (also fine in attributes): markup and quotes escaped, control characters and
// bytes that are not UTF-8 made visible as \xNN (XML 1.0 allows neither).
void append_xml_text(std::string& out, std::string_view s);
// Writes `content` to `path` through a temporary file and rename(2).
bool write_file_atomic(const std::string& path, std::string_view content, std::string& error);

}  // namespace trendtop
