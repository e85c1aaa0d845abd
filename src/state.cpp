#include "state.h"

#include <cerrno>
#include <cstring>
#include <string_view>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

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
  if (fd < 0) {
    error = fmt::format("cannot write state file '{}': {}", tmp, std::strerror(errno));
    return false;
  }
  bool ok = write_all(fd, data) && ::fsync(fd) == 0;
  int saved = errno;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    error = fmt::format("cannot write state file '{}': {}", path, std::strerror(ok ? errno : saved));
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

}  // namespace trendtop
