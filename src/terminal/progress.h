// The progress line (--progress): on stderr, redrawn in place at most 4 times a second while reading:
//   trendtop: 412.3 MB of 1.07 GB (38%)  95.1 MB/s  ETA 0:07
// (without a total, only the bytes and the rate), erased when the run ends so nothing is left behind.
#pragma once
#include <cstdint>
#include <string>

namespace trendtop {

class Progress {
 public:
  // `total`: the bytes to read (the regular files' sizes), 0 when unknown.
  Progress(int fd, uint64_t total, int64_t start_ms) : fd_(fd), total_(total), start_ms_(start_ms) {}
  // Redraws the line when the last one is at least 250 ms old.
  void update(uint64_t bytes, int64_t now_ms);
  // Erases the line.
  void finish();
  // The line's text for `bytes` read in `elapsed_ms` (for tests).
  static std::string line(uint64_t bytes, uint64_t total, int64_t elapsed_ms);

 private:
  int fd_;
  uint64_t total_;
  int64_t start_ms_;
  int64_t last_ms_ = -1;
  bool shown_ = false;
};

}  // namespace trendtop
