#include <catch2/catch.hpp>

#include <bzlib.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "input/decompress.h"

using namespace trendtop;

namespace {

Codec sniff(const std::string& head, bool& more) {
  return sniff_codec({head.data(), head.size()}, more);
}

// Text that compresses like tweets do (words from a small vocabulary), `n` bytes, deterministic.
std::string text(size_t n, unsigned seed) {
  static const char* words[] = {
      "#trend", "hello", "world", "\\u3042",   "RT",       "@user",      "https:\\/\\/t.co\\/x",
      "the",    "a",     "of",    "\"text\":", "{\"id\":", "1234567890", "}\n"};
  std::mt19937 rng(seed);
  std::string s;
  while (s.size() < n) s += std::string(words[rng() % 14]) + " ";
  s.resize(n);
  return s;
}

std::string bzip2(const std::string& in, int level) {
  std::vector<char> out(in.size() + in.size() / 50 + 1024);
  unsigned n = static_cast<unsigned>(out.size());
  REQUIRE(BZ2_bzBuffToBuffCompress(out.data(), &n, const_cast<char*>(in.data()),
                                   static_cast<unsigned>(in.size()), level, 0, 0) == BZ_OK);
  return std::string(out.data(), n);
}

struct Collect final : ByteSink {
  std::string out;
  char buf[777];  // odd-sized pieces
  std::span<uint8_t> room() override { return {reinterpret_cast<uint8_t*>(buf), sizeof buf}; }
  void wrote(size_t n) override { out.append(buf, n); }
};

struct Split {
  std::string out;
  std::vector<std::string> errors;
  std::vector<uint64_t> offsets;
};

// Splits `stream` fed in pieces of `step` bytes (0: random sizes) and decodes every block in order.
Split split_and_decode(const std::string& stream, size_t step) {
  Split r;
  Bzip2Scratch scratch;
  Bzip2Splitter s([&](Bzip2Splitter::Event&& e) {
    if (e.kind == Bzip2Splitter::Event::Kind::Error) {
      r.errors.push_back(e.error);
      return;
    }
    r.offsets.push_back(e.block.offset);
    Collect c;
    std::string why;
    if (decode_bzip2_block(e.block, scratch, c, why)) {
      r.out += c.out;
    } else {
      r.errors.push_back("block: " + why);
    }
  });
  std::mt19937 rng(5);
  for (size_t pos = 0; pos < stream.size();) {
    size_t n = std::min(stream.size() - pos, step ? step : 1 + rng() % 70000);
    s.feed({reinterpret_cast<const uint8_t*>(stream.data()) + pos, n});
    pos += n;
  }
  s.finish();
  return r;
}

}  // namespace

TEST_CASE("decompress: formats are told by their magic bytes", "[decompress]") {
  bool more = false;
  CHECK(sniff("\x1f\x8b\x08\x00", more) == Codec::Gzip);
  CHECK(sniff("BZh91AY&SY", more) == Codec::Bzip2);
  CHECK(sniff(std::string("\x28\xb5\x2f\xfd\x04", 5), more) == Codec::Zstd);
  CHECK(sniff(std::string("\xfd"
                          "7zXZ\x00\x00",
                          7),
              more) == Codec::Xz);
  CHECK(sniff("{\"created_at\":1}", more) == Codec::None);
  CHECK(!more);
  // A zstd file may start with a skippable frame (pzstd writes one before every frame).
  CHECK(sniff(std::string("\x50\x2a\x4d\x18\x04\x00\x00\x00", 8), more) == Codec::Zstd);
  CHECK(sniff(std::string("\x5f\x2a\x4d\x18", 4), more) == Codec::Zstd);
  CHECK(sniff(std::string("\x5f\x2a", 2), more) == Codec::None);
  CHECK(more);  // too short to tell
  CHECK(sniff("P*M is text", more) == Codec::None);
  CHECK(!more);
  CHECK(sniff("BZh0", more) == Codec::None);  // no such level: plain text
  CHECK(sniff("BZ", more) == Codec::None);
  CHECK(more);  // too short to tell
  CHECK(sniff(std::string("\xfd"
                          "7z",
                          3),
              more) == Codec::None);
  CHECK(more);
  CHECK(sniff("", more) == Codec::None);
  CHECK(more);
}

TEST_CASE("decompress: bzip2 blocks found at any bit, decoded apart, give the stream back", "[decompress]") {
  std::string in = text(1'500'000, 1);
  std::string bz = bzip2(in, 1);  // 100 kB blocks, at arbitrary bit offsets
  for (size_t step : {size_t{0}, size_t{1}, size_t{13}, size_t{1} << 20}) {
    Split r = split_and_decode(bz, step);
    CHECK(r.errors.empty());
    CHECK(r.offsets.size() == 16);  // bzip2 -1 puts at most 99 981 bytes in a block: 1.5 MB is 16 blocks
    CHECK(r.out == in);
  }
}

TEST_CASE("decompress: concatenated bzip2 streams, and an empty one", "[decompress]") {
  std::string a = text(250'000, 2), b = text(10, 3);
  Split r = split_and_decode(bzip2(a, 1) + bzip2("", 9) + bzip2(b, 9), 0);
  CHECK(r.errors.empty());
  CHECK(r.out == a + b);
}

TEST_CASE("decompress: a damaged bzip2 block is reported and skipped; a bad stream CRC is reported",
          "[decompress]") {
  std::string in = text(450'000, 4);
  std::string bz = bzip2(in, 1);  // 5 blocks
  std::string bad = bz;
  bad[bad.size() / 2] ^= 0x10;
  Split r = split_and_decode(bad, 0);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].rfind("block: ", 0) == 0);
  CHECK(r.out.size() < in.size());
  CHECK(r.out.size() >= in.size() - 100'000);

  // The stream CRC (the last 4 bytes before padding, here at the stream's end) no longer matches.
  std::string crc = bz;
  crc[crc.size() - 2] ^= 0x01;
  r = split_and_decode(crc, 0);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].find("stream CRC mismatch") != std::string::npos);
  CHECK(r.out == in);
}

TEST_CASE("decompress: truncated bzip2 data and trailing garbage are reported", "[decompress]") {
  std::string in = text(450'000, 6);
  std::string bz = bzip2(in, 1);
  Split r = split_and_decode(bz.substr(0, bz.size() * 3 / 5), 0);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].find("truncated bzip2 data") != std::string::npos);
  CHECK(in.rfind(r.out, 0) == 0);  // the whole blocks before the cut
  CHECK(r.out.size() >= 199'000);  // 2 of the 5 blocks at least

  r = split_and_decode(bz + "garbage", 0);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].find("trailing garbage") != std::string::npos);
  CHECK(r.out == in);
}
