// Key normalisation. Keys are compared after NFC + Unicode case folding, so "#RedVelvet", "#REDVELVET" and
// "#redvelvet" are one key, and so are composed and decomposed spellings of "#café". ASCII, by far the common
// case, takes a byte loop; anything else goes through utf8proc into buffers this object owns and reuses,
// so normalising a key never allocates once the buffers have grown to the longest key seen.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trendtop {

class Normalizer {
 public:
  // NFC(casefold(s)) appended to out. Returns false (out unchanged) when s is not valid UTF-8.
  bool fold(std::string_view s, std::string& out);
  // NFC(s) appended to out (no case change: --case keep, and a key's original spelling).
  bool nfc(std::string_view s, std::string& out);
  // Simple per-code-point lower-casing, as the tutorial's Python str.lower() does (no NFC, no folding).
  bool lower(std::string_view s, std::string& out);

 private:
  // utf8proc's NFC, with or without case folding, appended to out.
  bool compose(std::string_view s, bool casefold, std::string& out);
  std::vector<int32_t> codepoints_;
};

// True when every byte of s is below 0x80.
bool is_ascii(std::string_view s);

}  // namespace trendtop
