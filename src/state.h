// State files (--state): what a run needs to continue exactly where an earlier one stopped — the open panes,
// the watermark, the emission position and the counters — so that runs over consecutive parts of a stream
// print exactly the windows of one run over the whole.
//
// Format (little-endian): "TRENDTOP" magic, u32 version, u32 zero, u64 payload size, the payload, then a
// 64-bit checksum of the payload. Anything that does not check out — wrong magic (a foreign file), another
// version, a short or corrupt payload — is refused with a message, never read half-way, never overwritten.
// Writes are atomic: a temporary file beside the target, fsync, rename, fsync of the directory.
#pragma once
#include <cstdint>
#include <string>

#include "util/serial.h"

namespace trendtop {

inline constexpr uint32_t kStateVersion = 5;

enum class LoadResult { Loaded, Missing, Refused };

// Reads and verifies `path`; on Loaded, `payload` holds the checked payload. Refused comes with a message.
LoadResult load_state_file(const std::string& path, std::string& payload, std::string& error);
// Writes the payload with header and checksum, atomically. False with a message on failure.
bool save_state_file(const std::string& path, const std::string& payload, std::string& error);

}  // namespace trendtop
