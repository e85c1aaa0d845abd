#include "terminal/progress.h"

#include <cerrno>

#include <unistd.h>

#include <fmt/format.h>

namespace trendtop {

namespace {
std::string size(double bytes) {
  if (bytes < 1e3) return fmt::format("{:.0f} B", bytes);
  if (bytes < 1e6) return fmt::format("{:.1f} kB", bytes / 1e3);
  if (bytes < 1e9) return fmt::format("{:.1f} MB", bytes / 1e6);
  return fmt::format("{:.2f} GB", bytes / 1e9);
}

void put(int fd, const std::string& s) {
  const char* p = s.data();
  size_t left = s.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    left -= static_cast<size_t>(n);
  }
}
}  // namespace

std::string Progress::line(uint64_t bytes, uint64_t total, int64_t elapsed_ms) {
  double rate = elapsed_ms > 0 ? static_cast<double>(bytes) * 1000.0 / static_cast<double>(elapsed_ms) : 0;
  std::string s = "trendtop: " + size(static_cast<double>(bytes));
  if (total > 0) {
    s += fmt::format(" of {} ({:.0f}%)", size(static_cast<double>(total)),
                     100.0 * static_cast<double>(std::min(bytes, total)) / static_cast<double>(total));
  }
  s += fmt::format("  {}/s", size(rate));
  if (total > 0 && rate > 0 && bytes <= total) {
    auto eta = static_cast<int64_t>(static_cast<double>(total - bytes) / rate + 0.5);
    s += eta >= 3600 ? fmt::format("  ETA {}:{:02}:{:02}", eta / 3600, eta / 60 % 60, eta % 60)
                     : fmt::format("  ETA {}:{:02}", eta / 60, eta % 60);
  }
  return s;
}

void Progress::update(uint64_t bytes, int64_t now_ms) {
  if (last_ms_ >= 0 && now_ms - last_ms_ < 250) return;
  last_ms_ = now_ms;
  put(fd_, "\r" + line(bytes, total_, now_ms - start_ms_) + "\x1b[K");
  shown_ = true;
}

void Progress::finish() {
  if (!shown_) return;
  put(fd_, "\r\x1b[K");
  shown_ = false;
}

}  // namespace trendtop
