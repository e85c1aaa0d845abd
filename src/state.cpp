#include "state.h"

#include <cerrno>
#include <cstring>
#include <string_view>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include "util/fd_limit.h"
#include "util/hash.h"

namespace trendtop {

namespace {

constexpr std::string_view kMagic = "TRENDTOP";
constexpr size_t kHeaderSize = 8 + 4 + 4 + 8;
constexpr uint64_t kMaxPayload = 1ull << 40;  // a sanity bound against a corrupt size field

uint64_t checksum(std::string_view payload) {
  return hash_key(payload) ^ 0x7472656e64746f70ull;
}

void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t get_le(std::string_view s, size_t pos, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(s[pos + i])) << (8 * i);
  return v;
}

// strerror, and the limit that was reached when out of descriptors.
std::string reason(int err) {
  std::string limit = fd_limit_note(err);
  return limit.empty() ? std::strerror(err) : fmt::format("{} ({})", std::strerror(err), limit);
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

LoadResult load_state_file(const std::string& path, std::string& payload, std::string& error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return LoadResult::Missing;
    error = fmt::format("cannot open state file '{}': {}", path, std::strerror(errno));
    return LoadResult::Refused;
  }
  std::string data;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = fmt::format("cannot read state file '{}': {}", path, std::strerror(errno));
      ::close(fd);
      return LoadResult::Refused;
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > kMaxPayload + kHeaderSize + 8) break;
  }
  ::close(fd);
  auto refuse = [&](std::string_view why) {
    error = fmt::format("state file '{}' {}; refusing to use or overwrite it", path, why);
    return LoadResult::Refused;
  };
  if (data.size() < 8 || std::string_view(data).substr(0, 8) != kMagic)
    return refuse("is not a trendtop state file");
  if (data.size() < kHeaderSize + 8) return refuse("is truncated or has trailing bytes");
  uint32_t version = static_cast<uint32_t>(get_le(data, 8, 4));
  if (version < kOldestStateVersion || version > kStateVersion)
    return refuse(fmt::format("has format version {}, this trendtop reads versions {} to {}", version,
                              kOldestStateVersion, kStateVersion));
  uint64_t size = get_le(data, 16, 8);
  if (size > kMaxPayload || data.size() != kHeaderSize + size + 8)
    return refuse("is truncated or has trailing bytes");
  std::string_view body = std::string_view(data).substr(kHeaderSize, size);
  if (get_le(data, kHeaderSize + size, 8) != checksum(body)) return refuse("is corrupt (checksum mismatch)");
  payload.assign(body);
  return LoadResult::Loaded;
}

bool save_state_file(const std::string& path, const std::string& payload, std::string& error) {
  std::string data(kMagic);
  put_u32(data, kStateVersion);
  put_u32(data, 0);
  put_u64(data, payload.size());
  data += payload;
  put_u64(data, checksum(payload));

  std::string tmp = fmt::format("{}.tmp.{}", path, getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {  // nothing was made; the state file is as it was
    error = fmt::format("cannot write state file '{}': cannot create '{}': {}", path, tmp, reason(errno));
    return false;
  }
  bool ok = write_all(fd, data) && ::fsync(fd) == 0;
  int saved = errno;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    error = fmt::format("cannot write state file '{}': {}", path, reason(ok ? errno : saved));
    ::unlink(tmp.c_str());
    return false;
  }
  // The rename is durable only once the directory entry is.
  std::string dir = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/') + 1);
  if (int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return true;
}

StateLock::~StateLock() {
  if (fd_ >= 0) ::close(fd_);  // and with it the lock
}

bool StateLock::acquire(const std::string& state_path, std::string& error) {
  std::string path = state_path + ".lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  // Nowhere to write beside the state file: no run can save it there, so none can overwrite another's;
  // the run goes on unlocked (and says so when it tries to save).
  if (fd < 0 && (errno == ENOENT || errno == EACCES || errno == EROFS || errno == EPERM)) return true;
  if (fd < 0) {
    error = fmt::format("cannot lock state file '{}': cannot open '{}': {}", state_path, path,
                        std::strerror(errno));
    return false;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int e = errno;
    std::string holder;
    char buf[32] = {};
    if (e == EWOULDBLOCK) {
      ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
      std::string_view pid(buf, n > 0 ? static_cast<size_t>(n) : 0);
      while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.remove_suffix(1);
      bool digits = !pid.empty() && pid.find_first_not_of("0123456789") == std::string_view::npos;
      holder = digits ? fmt::format("pid {}", pid) : std::string("a process that has not said its pid yet");
      error = fmt::format("state file '{}' is in use by another trendtop ({}); one run per state file",
                          state_path, holder);
    } else {
      error = fmt::format("cannot lock state file '{}': {}", state_path, std::strerror(e));
    }
    ::close(fd);
    return false;
  }
  std::string pid = fmt::format("{}\n", getpid());
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    // The lock holds all the same; only the message a second run prints is poorer.
  }
  fd_ = fd;
  return true;
}

int remove_stale_temporaries(const std::string& state_path) {
  size_t slash = state_path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : state_path.substr(0, slash + 1);
  std::string prefix = (slash == std::string::npos ? state_path : state_path.substr(slash + 1)) + ".tmp.";
  DIR* d = ::opendir(dir.c_str());
  if (!d) return 0;
  int removed = 0;
  while (dirent* e = ::readdir(d)) {
    std::string_view name(e->d_name);
    if (name.size() <= prefix.size() || name.substr(0, prefix.size()) != prefix) continue;
    std::string_view digits = name.substr(prefix.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string_view::npos) continue;
    pid_t pid = static_cast<pid_t>(std::stol(std::string(digits)));
    if (pid <= 0 || ::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to know): kept
    std::string path = (slash == std::string::npos ? std::string() : dir) + std::string(name);
    if (::unlink(path.c_str()) == 0) ++removed;
  }
  ::closedir(d);
  return removed;
}

}  // namespace trendtop
