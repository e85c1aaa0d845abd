// Top-k selection with a total, deterministic order: count descending, then key ascending (bytewise, as
// unsigned bytes), so equal counts always print the same way whatever the hash map's layout.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "count/count_map.h"

namespace trendtop {

struct RankedKey {
  std::string_view key;
  uint64_t count;
  std::string_view display = {};  // the key's most frequent spelling, when not the key itself
  // Against the previous window (rank.h): its count there, and its rank there (0: it was not ranked).
  uint64_t prev = 0;
  uint64_t prev_rank = 0;
  // --rank trend: the score ranked by, and the baseline count it was scored against.
  double score = 0;
  double baseline = 0;
};

bool ranks_before(const RankedKey& a, const RankedKey& b);

// The first k keys (k == 0: all) among those with count >= min_count, in rank order, into `out` (reused).
// Keys starting with `skip` (when not 0) are not ranked: spelling markers.
void top_k(const CountMap& counts, uint64_t k, uint64_t min_count, std::vector<RankedKey>& out,
           char skip = 0);

}  // namespace trendtop
