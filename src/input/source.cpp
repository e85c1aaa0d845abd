#include "input/source.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace trendtop {

FdSource::~FdSource() {
  close();
}

void FdSource::close() {
  if (owned_ && fd_ >= 0) ::close(fd_);
  fd_ = -1;
  owned_ = false;
}

bool FdSource::open(const std::string& path, std::string& error) {
  close();
  name_ = path;
  if (path == "-") {
    fd_ = STDIN_FILENO;
    name_ = "<stdin>";
    return true;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = fmt::format("cannot open '{}': {}", path, std::strerror(errno));
    return false;
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    error = fmt::format("cannot read '{}': Is a directory", path);
    return false;
  }
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  fd_ = fd;
  owned_ = true;
  return true;
}

long FdSource::read(std::span<char> into, std::string& error) {
  for (;;) {
    ssize_t n = ::read(fd_, into.data(), into.size());
    if (n >= 0) return static_cast<long>(n);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {  // a non-blocking stdin: wait, then read again
      wait_readable(-1);
      continue;
    }
    error = fmt::format("cannot read '{}': {}", name_, std::strerror(errno));
    return -1;
  }
}

bool FdSource::wait_readable(int timeout_ms) const {
  struct pollfd p = {fd_, POLLIN, 0};
  for (;;) {
    int r = ::poll(&p, 1, timeout_ms);
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) return true;  // let the read report the error
  }
}

}  // namespace trendtop
