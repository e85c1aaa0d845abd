// State files (--state): what a run needs to continue exactly where an earlier one stopped — the open panes,
// the watermark, the emission position and the counters — so that runs over consecutive parts of a stream
// print exactly the windows of one run over the whole.
//
// Format (little-endian): "TRENDTOP" magic, u32 version, u32 zero, u64 payload size, the payload, then a
// 64-bit checksum of the payload. Anything that does not check out — wrong magic (a foreign file), another
// version, a short or corrupt payload — is refused with a message, never read half-way, never overwritten.
// Writes are atomic: a temporary file beside the target (STATE.tmp.PID), fsync, rename, fsync of the
// directory.
//
// One run per state file: a run holds an exclusive flock(2) on STATE.lock, beside the state file (not on it:
// every save replaces the state file by a rename, and a lock would stay with the old one), from before it
// reads the state until it exits, and writes its pid into it. Two runs saving in turn would each lose the
// other's data; the second is refused instead. The lock file stays (removing it would race with the next
// run); the kernel lets go of the lock when the process ends, however it ends.
#pragma once
#include <cstdint>
#include <string>

#include "util/serial.h"

namespace trendtop {

inline constexpr uint32_t kStateVersion = 8;
// The oldest version still read. Later versions only append to the payload: 4 lacks the partial stream's
// identity (5), 5 the URL streams' resume positions (6), 6 the sources' clocks (7), 7 the held jumps after
// the first (8: one per source); a state simply ends before what it lacks.
inline constexpr uint32_t kOldestStateVersion = 4;

enum class LoadResult { Loaded, Missing, Refused };

// Reads and verifies `path`; on Loaded, `payload` holds the checked payload. Refused comes with a message.
LoadResult load_state_file(const std::string& path, std::string& payload, std::string& error);
// Writes the payload with header and checksum, atomically. False with a message on failure.
bool save_state_file(const std::string& path, const std::string& payload, std::string& error);

class StateLock {
 public:
  StateLock() = default;
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;
  ~StateLock();
  // Takes the lock on `state_path` for as long as this object lives. False with a message naming the file
  // and the holder's pid when another run holds it. Where no lock file can be made (no such directory, not
  // writable), no run can save the state either: true, unlocked.
  bool acquire(const std::string& state_path, std::string& error);

 private:
  int fd_ = -1;
};

// Removes STATE.tmp.PID files left by a run killed while it saved, if process PID is gone (call with the
// lock held). Returns how many.
int remove_stale_temporaries(const std::string& state_path);

}  // namespace trendtop
