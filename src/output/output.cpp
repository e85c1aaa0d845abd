#include "output/output.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/clock.h"

namespace trendtop {

bool Output::continues_file() const {
  struct stat st;
  if (fd_ < 0 || fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) return false;
  int flags = fcntl(fd_, F_GETFL);
  if (flags >= 0 && (flags & O_APPEND)) return st.st_size > 0;  // its offset says nothing until a write
  return lseek(fd_, 0, SEEK_CUR) > 0;
}

Output::Status Output::flush() {
  if (status_ != Status::Ok) {
    buf_.clear();
    return status_;
  }
  const char* p = buf_.data();
  size_t left = buf_.size();
  int64_t progress = left > 0 && give_up_ ? steady_ms() : 0;  // the last byte out (or the start)
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno != EINTR) {
      buf_.clear();
      if (errno == EPIPE) return status_ = Status::Closed;
      error_ = fmt::format("cannot write output: {}", std::strerror(errno));
      return status_ = Status::Error;
    }
    if (n > 0) {
      p += n;
      left -= static_cast<size_t>(n);
    }
    if (left == 0 || !give_up_) continue;
    int64_t now = steady_ms();
    if (n > 0) progress = now;
    if (std::string why; give_up_(now - progress, why)) {
      buf_.clear();
      error_ = fmt::format("cannot write output: {} ({} bytes not written)", why, left);
      return status_ = Status::Error;
    }
  }
  buf_.clear();
  return Status::Ok;
}

}  // namespace trendtop
