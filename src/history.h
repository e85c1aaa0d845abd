// History: the ranked keys of the last N final windows, for the live view's sparklines and the chart.
// Bounded: N windows of at most --top keys each (copied, since a window's keys die with it).
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "sink.h"

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
  explicit History(size_t max_windows) : max_(max_windows) {}
  void add(const WindowResult& w);
  const std::deque<WindowSummary>& windows() const { return windows_; }
  size_t max_windows() const { return max_; }

 private:
  size_t max_;
  std::deque<WindowSummary> windows_;
};

}  // namespace trendtop
