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
#include <string_view>
#include <vector>

namespace trendtop {

inline constexpr uint32_t kStateVersion = 4;

// Where a log source (a Kafka topic partition) goes on: the offset of the next record to read. Saved with
// the windows the records before it were counted into, so a restart neither loses nor repeats any.
struct SourceOffset {
  std::string topic;
  int32_t partition = 0;
  int64_t next = 0;
};

// Appends fixed-width values to a payload.
class StateWriter {
 public:
  void u8(uint8_t v) { bytes_.push_back(static_cast<char>(v)); }
  void u64(uint64_t v);
  void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
  void str(std::string_view s);
  const std::string& payload() const { return bytes_; }

 private:
  std::string bytes_;
};

// Reads them back with bounds checks: any read past the end sets failed() and returns zeroes, so a loader
// can read a whole structure and check once.
class StateReader {
 public:
  explicit StateReader(std::string_view payload) : data_(payload) {}
  uint8_t u8();
  uint64_t u64();
  int64_t i64() { return static_cast<int64_t>(u64()); }
  std::string_view str();
  bool failed() const { return failed_; }
  bool at_end() const { return pos_ == data_.size(); }
  size_t left() const { return data_.size() - pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
  bool failed_ = false;
};

enum class LoadResult { Loaded, Missing, Refused };

// Reads and verifies `path`; on Loaded, `payload` holds the checked payload. Refused comes with a message.
LoadResult load_state_file(const std::string& path, std::string& payload, std::string& error);
// Writes the payload with header and checksum, atomically. False with a message on failure.
bool save_state_file(const std::string& path, const std::string& payload, std::string& error);

}  // namespace trendtop
