// History: the ranked keys of the last N final windows, for the live view's sparklines and the chart.
// Bounded: N windows of at most M keys each (copied, since a window's keys die with it).
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "output/sink.h"

namespace trendtop {

struct WindowSummary {
  int64_t start = 0, end = 0;
  uint64_t records = 0, keys = 0;
  struct Key {
    std::string key;      // as counted: the identity across windows
    std::string display;  // as shown (its most frequent spelling)
    uint64_t count = 0;
  };
  std::vector<Key> top;  // rank order
  // The key's count here, or -1 when it was not ranked in this window.
  int64_t count_of(std::string_view key) const;
};

class History {
 public:
  // Keeps the last `max_windows` windows, and the first `max_keys` ranked keys of each (--top 0 ranks every
  // key of a window: a chart or a sparkline needs far fewer).
  History(size_t max_windows, size_t max_keys) : max_(max_windows), max_keys_(max_keys) {}
  void add(const WindowResult& w);
  const std::deque<WindowSummary>& windows() const { return windows_; }
  size_t max_windows() const { return max_; }

 private:
  size_t max_;
  size_t max_keys_;
  std::deque<WindowSummary> windows_;
};

}  // namespace trendtop
