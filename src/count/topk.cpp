#include "count/topk.h"

#include <algorithm>
#include <cstddef>

namespace trendtop {

bool ranks_before(const RankedKey& a, const RankedKey& b) {
  if (a.count != b.count) return a.count > b.count;
  return a.key < b.key;  // std::char_traits<char>::compare is memcmp: unsigned bytes
}

void top_k(const CountMap& counts, uint64_t k, uint64_t min_count, std::vector<RankedKey>& out, char skip) {
  out.clear();
  counts.for_each([&](std::string_view key, uint64_t count) {
    if (count >= min_count && !(skip && !key.empty() && key[0] == skip)) out.push_back({key, count});
  });
  if (k != 0 && k < out.size()) {
    std::nth_element(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(k), out.end(), ranks_before);
    out.resize(k);
  }
  std::sort(out.begin(), out.end(), ranks_before);
}

}  // namespace trendtop
