// The planner's walk over the inputs (archive_pool.cpp): paths in order, directories expanded recursively in
// name order; and how many inputs it may hold open under the descriptor limit.
#pragma once
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include "input/archive_pool.h"

namespace trendtop::archive_detail {

// The inputs in order, directories expanded recursively in name order as they are reached.
class Walker {
 public:
  explicit Walker(std::vector<std::string> args) : args_(std::move(args)) {}
  // The next input's path, or an error for a directory that cannot be listed (errno in error_number()).
  // False at the end.
  bool next(std::string& path, std::string& error) {
    error.clear();
    errno_ = 0;
    for (;;) {
      while (!stack_.empty()) {
        Level& l = stack_.back();
        if (l.i == l.names.size()) {
          stack_.pop_back();
          continue;
        }
        std::string full = l.dir + (l.dir.ends_with('/') ? "" : "/") + l.names[l.i++];
        struct stat st;
        if (lstat(full.c_str(), &st) != 0) continue;  // gone since it was listed
        if (S_ISDIR(st.st_mode)) {
          if (!push(full, error)) {
            path = full;
            return true;
          }
          continue;
        }
        if (S_ISLNK(st.st_mode) && (stat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode))) continue;
        if (!S_ISREG(st.st_mode)) continue;  // FIFOs, sockets, devices, links to directories
        path = std::move(full);
        return true;
      }
      if (next_ == args_.size()) return false;
      const std::string& arg = args_[next_++];
      struct stat st;
      if (arg != "-" && stat(arg.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        if (!push(arg, error)) {
          path = arg;
          return true;
        }
        continue;
      }
      path = arg;
      return true;
    }
  }
  int error_number() const { return errno_; }
  // Lists again the directory next() could not list: true when it could now (its entries come next).
  bool retry(const std::string& dir, std::string& error) {
    error.clear();
    errno_ = 0;
    return push(dir, error);
  }

 private:
  struct Level {
    std::string dir;
    std::vector<std::string> names;
    size_t i = 0;
  };
  bool push(const std::string& dir, std::string& error) {
    DIR* d = opendir(dir.c_str());
    if (!d) {
      errno_ = errno;
      error = fmt::format("cannot read directory '{}': {}", dir, std::strerror(errno_));
      return false;
    }
    Level l{dir, {}, 0};
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.') l.names.emplace_back(e->d_name);
    closedir(d);
    std::sort(l.names.begin(), l.names.end());  // bytewise: the grab's names sort by time
    stack_.push_back(std::move(l));
    return true;
  }
  std::vector<std::string> args_;
  size_t next_ = 0;
  std::vector<Level> stack_;
  int errno_ = 0;
};

inline bool out_of_descriptors(int err) {
  return err == EMFILE || err == ENFILE;
}

// How many inputs the planner may hold open: what RLIMIT_NOFILE leaves once the descriptors open now and
// kFdReserve for the rest of the run are set aside, at least 1, at most kMaxItems.
inline size_t lookahead_limit() {
  rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= (1u << 20))
    return kMaxItems;
  size_t open = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.') ++open;
    closedir(d);
    open = open > 0 ? open - 1 : 0;  // the listing's own
  } else {
    return 1;  // out of descriptors already, or no /proc: one input at a time
  }
  size_t limit = static_cast<size_t>(rl.rlim_cur);
  if (limit <= open + kFdReserve + 1) return 1;
  return std::min(kMaxItems, limit - open - kFdReserve);
}

}  // namespace trendtop::archive_detail
