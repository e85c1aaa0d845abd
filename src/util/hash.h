// hash_key: the one hash of a key, computed once where the key is made (a parsing thread) and carried with
// it, so that counting, merging and sharding never hash a string again. Also the state file's checksum.
#pragma once
#include <cstdint>
#include <string_view>

namespace trendtop {

uint64_t hash_key(std::string_view key);

}  // namespace trendtop
