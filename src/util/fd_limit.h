// Running out of file descriptors (EMFILE, ENFILE): what a message says of the limit that was reached, so
// that a person knows which one to raise. Empty for any other error.
#pragma once
#include <cerrno>
#include <string>

#include <sys/resource.h>

#include <fmt/format.h>

namespace trendtop {

inline std::string fd_limit_note(int err) {
  if (err == EMFILE) {
    rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
      return fmt::format("the limit is {} descriptors per process, ulimit -n", rl.rlim_cur);
    return "the limit of descriptors per process, ulimit -n";
  }
  if (err == ENFILE) return "the system's limit, /proc/sys/fs/file-max";
  return {};
}

}  // namespace trendtop
