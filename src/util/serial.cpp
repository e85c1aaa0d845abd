#include "util/serial.h"

namespace trendtop {

namespace {

void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t get_le(std::string_view s, size_t pos, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(s[pos + i])) << (8 * i);
  return v;
}

}  // namespace

void StateWriter::u64(uint64_t v) {
  put_u64(bytes_, v);
}

void StateWriter::str(std::string_view s) {
  u64(s.size());
  bytes_.append(s);
}

uint8_t StateReader::u8() {
  if (failed_ || left() < 1) return failed_ = true, 0;
  return static_cast<uint8_t>(data_[pos_++]);
}

uint64_t StateReader::u64() {
  if (failed_ || left() < 8) return failed_ = true, 0;
  uint64_t v = get_le(data_, pos_, 8);
  pos_ += 8;
  return v;
}

std::string_view StateReader::str() {
  uint64_t n = u64();
  if (failed_ || n > left()) return failed_ = true, std::string_view{};
  std::string_view s = data_.substr(pos_, n);
  pos_ += n;
  return s;
}

}  // namespace trendtop
