#include "util/hash.h"

#include <cstring>

namespace trendtop {

namespace {

inline uint64_t read64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline uint64_t mix(uint64_t a, uint64_t b) {
  __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}
}  // namespace

// A small multiply-mix hash in the style of wyhash: 8 bytes per step, good avalanche, no table.
uint64_t hash_key(std::string_view key) {
  constexpr uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull, k2 = 0x8ebc6af09c88c6e3ull;
  const char* p = key.data();
  size_t n = key.size();
  uint64_t h = k0 ^ (n * k1);
  while (n >= 8) {
    h = mix(h ^ read64(p), k1);
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  for (size_t i = 0; i < n; ++i) tail |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return mix(h ^ tail ^ k2, k1 ^ n);
}

}  // namespace trendtop
