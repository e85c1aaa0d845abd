// What the fuzz targets share: a check that reports the broken invariant and aborts (libFuzzer then saves
// the input as a crash), and the UTF-8 test the invariants use.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <simdjson.h>

#define FUZZ_CHECK(cond)                                                                \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)

namespace trendtop::fuzz {

inline bool valid_utf8(std::string_view s) {
  return simdjson::validate_utf8(s.data(), s.size());
}

// A small deterministic generator, seeded from the input, for choices such as read sizes: the same input
// always makes the same choices, so a saved crash replays.
struct Rng {
  uint64_t state;
  uint64_t next() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  }
  // Uniform enough in [lo, hi].
  size_t range(size_t lo, size_t hi) { return lo + static_cast<size_t>(next() % (hi - lo + 1)); }
};

}  // namespace trendtop::fuzz
