// What reader.cpp and reader_connect.cpp share inside the Reader: read sizes, backoff bounds and the epoll
// tags. Internal to those two files.
#pragma once
#include <cstddef>
#include <cstdint>

namespace trendtop::reader_detail {

// Sockets get small reads: memory is per connection, and 1024 producers must not cost a gigabyte.
inline constexpr size_t kSocketReadSize = 64 << 10;
inline constexpr int64_t kFirstBackoffMs = 100;
inline constexpr int64_t kMaxBackoffMs = 30'000;
// Out of descriptors at accept: listeners wait for a connection to close, or this long at most (a descriptor
// released by another part of the run: a file read, a state saved).
inline constexpr int64_t kFdRetryMs = 1000;

// What an epoll event is about: the kind in the top byte, an index or fd below.
enum Tag : uint64_t {
  kListener = 1,
  kStream = 2,
  kConnecting = 3,
  kFile = 4,
  kParsed = 5,
  kKafka = 6,
  kUrl = 7
};
inline uint64_t tag(Tag kind, uint64_t value) {
  return (static_cast<uint64_t>(kind) << 56) | value;
}

}  // namespace trendtop::reader_detail
