// Decompression: arbitrary bytes, fed in arbitrary pieces, through the format sniffer, the gzip, zstd and xz
// stream decoders and the bzip2 block splitter and block decoder; and, as a regular file, split into pieces
// (zstd frames, BGZF members, xz blocks: pieces.h) each decoded alone. Nothing may crash or read out of
// bounds; every block the splitter finds holds exactly its bits; pieces lie inside the file, in order, and no
// size read from the file makes a read big; a decoder that says End or Error says nothing more.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "check.h"
#include "input/decompress.h"
#include "input/pieces.h"

using namespace trendtop;

namespace {

constexpr size_t kMaxOut = 4 << 20;  // a small input may expand a thousandfold: stop decoding there

struct Capped final : ByteSink {
  std::vector<uint8_t> buf = std::vector<uint8_t>(4096);
  size_t total = 0;
  std::span<uint8_t> room() override { return {buf.data(), buf.size()}; }
  void wrote(size_t n) override {
    FUZZ_CHECK(n <= buf.size());
    total += n;
  }
};

void stream(Codec codec, const uint8_t* data, size_t size, fuzz::Rng& rng) {
  std::unique_ptr<StreamDecoder> dec = make_stream_decoder(codec);
  FUZZ_CHECK(dec != nullptr);
  std::vector<uint8_t> out(1 + rng.next() % 5000);
  size_t pos = 0, produced = 0;
  std::string error;
  for (int turns = 0; turns < 100000 && produced < kMaxOut; ++turns) {
    size_t n = std::min(size - pos, static_cast<size_t>(rng.next() % 3000));
    std::span<const uint8_t> in(data + pos, n);
    std::span<uint8_t> room(out.data(), out.size());
    bool last = pos + n == size;
    StreamDecoder::Status s = dec->decode(in, room, last, error);
    pos += n - in.size();
    produced += out.size() - room.size();
    FUZZ_CHECK(dec->consumed() == pos);
    if (s != StreamDecoder::Status::More) {
      FUZZ_CHECK(s == StreamDecoder::Status::End || !error.empty());
      return;
    }
  }
}

void bzip2(const uint8_t* data, size_t size, fuzz::Rng& rng) {
  Bzip2Scratch scratch;
  size_t produced = 0;
  Bzip2Splitter splitter([&](Bzip2Splitter::Event&& e) {
    if (e.kind == Bzip2Splitter::Event::Kind::Error) {
      FUZZ_CHECK(!e.error.empty());
      return;
    }
    const Bzip2Block& b = e.block;
    FUZZ_CHECK(b.bits >= 80 && b.first_bit < 8);
    FUZZ_CHECK(b.bytes.size() == (b.first_bit + b.bits + 7) / 8);
    FUZZ_CHECK(b.offset + b.bytes.size() <= size);
    FUZZ_CHECK(std::memcmp(b.bytes.data(), data + b.offset, b.bytes.size()) == 0);
    if (produced >= kMaxOut) return;
    Capped out;
    std::string why;
    if (!decode_bzip2_block(b, scratch, out, why)) FUZZ_CHECK(!why.empty());
    produced += out.total;
  });
  for (size_t pos = 0; pos < size;) {
    size_t n = std::min(size - pos, static_cast<size_t>(1 + rng.next() % 4000));
    splitter.feed({data + pos, n});
    pos += n;
    FUZZ_CHECK(splitter.fed() == pos);
  }
  splitter.finish();
}

// The input as a regular file: its pieces, each decoded alone (into a capped sink, in odd steps).
void pieces(Codec codec, const uint8_t* data, size_t size, fuzz::Rng& rng) {
  ReadAt read = [&](uint64_t offset, uint8_t* into, size_t n) -> size_t {
    FUZZ_CHECK(n <= (64 << 10) + 12);  // sizes from the file never make a read big
    if (offset >= size) return 0;
    size_t k = static_cast<size_t>(std::min<uint64_t>(n, size - offset));
    std::memcpy(into, data + offset, k);
    return k;
  };
  PieceDecoder dec;
  std::vector<uint8_t> out(4096);
  size_t produced = 0;
  auto decode = [&](const Piece& p) {
    FUZZ_CHECK(p.begin < p.end && p.end <= size);
    dec.start(codec, p);
    uint64_t at = p.begin;
    std::span<const uint8_t> in;
    std::string error;
    for (int turns = 0; turns < 100000 && produced < kMaxOut; ++turns) {
      if (in.empty() && at < p.end) {
        size_t n = static_cast<size_t>(std::min<uint64_t>(1 + rng.next() % 3000, p.end - at));
        in = {data + at, n};
        at += n;
      }
      std::span<uint8_t> room(out.data(), 1 + rng.next() % out.size());
      size_t before = room.size();
      StreamDecoder::Status s = dec.decode(in, room, at == p.end, error);
      produced += before - room.size();
      if (s != StreamDecoder::Status::More) {
        FUZZ_CHECK(s == StreamDecoder::Status::End || !error.empty());
        FUZZ_CHECK(s != StreamDecoder::Status::End || (in.empty() && at == p.end));
        return;
      }
    }
  };
  uint64_t prev = 0;
  if (codec == Codec::Xz) {
    XzBlocks blocks;
    std::string why;
    if (!blocks.load(read, size, why)) {
      FUZZ_CHECK(!why.empty());
    } else {
      uint64_t n = 0;
      for (Piece p; blocks.next(p); ++n) {
        FUZZ_CHECK(p.begin >= prev);
        prev = p.end;
        decode(p);
      }
      FUZZ_CHECK(n == blocks.count());
    }
    // The block decoder given sizes and a check that no index vouches for.
    if (size > 0) {
      Piece p{0, size};
      p.unpadded = rng.next() % (size + 2);
      p.uncompressed = rng.next() % (4 * size + 2);
      p.check = static_cast<uint32_t>(rng.next() % 17);
      decode(p);
    }
    return;
  }
  PieceWalker walker(codec, read, size);
  for (Piece p;;) {
    PieceWalker::Found f = walker.next(p);
    FUZZ_CHECK(p.begin >= prev);
    if (f == PieceWalker::Found::Piece) {
      prev = p.end;
      decode(p);
      continue;
    }
    FUZZ_CHECK(f == PieceWalker::Found::End ? p.begin >= size : p.begin < size);
    break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  fuzz::Rng rng{0x9e3779b97f4a7c15ull ^ size ^ data[0]};
  bool more = false;
  Codec sniffed = sniff_codec({reinterpret_cast<const char*>(data) + 1, size - 1}, more);
  // The first byte picks the decoder (the sniffer's choice half of the time), so every decoder sees
  // every input shape, well-formed or not.
  Codec codec = data[0] & 1 ? sniffed : static_cast<Codec>(1 + (data[0] >> 1) % 4);
  data += 1;
  size -= 1;
  if (codec == Codec::Bzip2) {
    bzip2(data, size, rng);
  } else if (codec != Codec::None) {
    stream(codec, data, size, rng);
    pieces(codec, data, size, rng);
  }
  return 0;
}
