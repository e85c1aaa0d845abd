// StateWriter / StateReader: the fixed-width little-endian encoding of --state payloads (state.h wraps a
// payload in a checked file). Each stage saves and loads its own part (window.h, rank.h) with these.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace trendtop {

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

}  // namespace trendtop
