#include "input/decompress.h"

#include <algorithm>
#include <cstring>

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <fmt/format.h>

namespace trendtop {

namespace {

constexpr uint64_t kBlockMagic = 0x314159265359;  // pi
constexpr uint64_t kEndMagic = 0x177245385090;    // sqrt(pi)
constexpr uint64_t kMagicMask = (uint64_t{1} << 48) - 1;
// A bzip2 block holds at most 900 000 bytes before compression and bzip2 never expands a block by much: a
// "block" longer than this is damage (a lost magic), not data.
constexpr uint64_t kMaxBlockBytes = 2 << 20;

struct Magic {
  Codec codec;
  std::string_view bytes;
};
constexpr Magic kMagics[] = {
    {Codec::Gzip, std::string_view("\x1f\x8b\x08", 3)},
    {Codec::Bzip2, "BZh"},  // and a level digit, checked below
    {Codec::Zstd, std::string_view("\x28\xb5\x2f\xfd", 4)},
    {Codec::Xz, std::string_view("\xfd"
                                 "7zXZ\x00",
                                 6)},
};

// --- gzip (zlib): windowBits 15 + 16 takes the gzip wrapper and checks each member's CRC-32 and length.
class GzipDecoder final : public StreamDecoder {
 public:
  explicit GzipDecoder(uint64_t base) : base_(base) {
    std::memset(&z_, 0, sizeof z_);
    ok_ = inflateInit2(&z_, 15 + 16) == Z_OK;
  }
  ~GzipDecoder() override { inflateEnd(&z_); }
  Status decode(std::span<const uint8_t>& in, std::span<uint8_t>& out, bool last,
                std::string& error) override {
    if (!ok_) {
      error = "cannot start zlib";
      return Status::Error;
    }
    for (;;) {
      if (!in_member_) {
        // Zero bytes after a member are padding (a tape's or a block device's): gzip ignores them.
        size_t zeros = 0;
        while (zeros < in.size() && in[zeros] == 0) ++zeros;
        in = in.subspan(zeros);
        consumed_ += zeros;
        padded_ = padded_ || zeros > 0;
        if (padded_ && !in.empty()) {  // gzip reads no member after padding either
          error =
              fmt::format("corrupt gzip data near byte {} (data after the zero padding)", base_ + consumed_);
          return Status::Error;
        }
      }
      if (!in_member_ && in.empty()) return last ? Status::End : Status::More;
      if (out.empty()) return Status::More;
      in_member_ = true;
      z_.next_in = const_cast<Bytef*>(in.data());
      z_.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), 1u << 30));
      z_.next_out = out.data();
      z_.avail_out = static_cast<uInt>(std::min<size_t>(out.size(), 1u << 30));
      int ret = inflate(&z_, Z_NO_FLUSH);
      size_t used = static_cast<size_t>(z_.next_in - in.data());
      in = in.subspan(used);
      out = out.subspan(static_cast<size_t>(z_.next_out - out.data()));
      consumed_ += used;
      if (ret == Z_STREAM_END) {  // a member ended; another may follow
        inflateReset(&z_);
        in_member_ = false;
        continue;
      }
      if (ret == Z_OK || ret == Z_BUF_ERROR) {
        if (in.empty() && !out.empty()) {
          if (!last) return Status::More;
          error = fmt::format("truncated gzip data (it ends inside a member, at byte {})", base_ + consumed_);
          return Status::Error;
        }
        continue;
      }
      error = fmt::format("corrupt gzip data near byte {} ({})", base_ + consumed_,
                          z_.msg ? z_.msg : "inflate failed");
      return Status::Error;
    }
  }
  uint64_t consumed() const override { return consumed_; }

 private:
  z_stream z_;
  bool ok_ = false;
  bool in_member_ = false;
  bool padded_ = false;  // zero bytes came after a member
  uint64_t base_;
  uint64_t consumed_ = 0;
};

// --- zstd: ZSTD_decompressStream goes on across frames (and skips skippable ones) by itself.
class ZstdDecoder final : public StreamDecoder {
 public:
  explicit ZstdDecoder(uint64_t base) : d_(ZSTD_createDCtx()), base_(base) {}
  ~ZstdDecoder() override { ZSTD_freeDCtx(d_); }
  Status decode(std::span<const uint8_t>& in, std::span<uint8_t>& out, bool last,
                std::string& error) override {
    for (;;) {
      if (out.empty()) return Status::More;
      if (in.empty() && !in_frame_) return last ? Status::End : Status::More;
      ZSTD_inBuffer ib{in.data(), in.size(), 0};
      ZSTD_outBuffer ob{out.data(), out.size(), 0};
      size_t r = ZSTD_decompressStream(d_, &ob, &ib);
      if (ZSTD_isError(r)) {
        error = fmt::format("corrupt zstd data near byte {} ({})", base_ + consumed_ + ib.pos,
                            ZSTD_getErrorName(r));
        return Status::Error;
      }
      in = in.subspan(ib.pos);
      out = out.subspan(ob.pos);
      consumed_ += ib.pos;
      in_frame_ = r != 0;
      // All input taken and room left over: the decoder has nothing more until more input comes.
      if (in.empty() && !out.empty() && in_frame_) {
        if (!last) return Status::More;
        if (ob.pos > 0) continue;  // it may still hold output; ask again until it gives none
        error = fmt::format("truncated zstd data (it ends inside a frame, at byte {})", base_ + consumed_);
        return Status::Error;
      }
    }
  }
  uint64_t consumed() const override { return consumed_; }

 private:
  ZSTD_DCtx* d_;
  uint64_t base_;
  bool in_frame_ = false;
  uint64_t consumed_ = 0;
};

// --- xz (liblzma): LZMA_CONCATENATED reads concatenated .xz streams (and stream padding) as one.
class XzDecoder final : public StreamDecoder {
 public:
  explicit XzDecoder(uint64_t base) : base_(base) {
    ok_ = lzma_stream_decoder(&s_, UINT64_MAX, LZMA_CONCATENATED) == LZMA_OK;
  }
  ~XzDecoder() override { lzma_end(&s_); }
  Status decode(std::span<const uint8_t>& in, std::span<uint8_t>& out, bool last,
                std::string& error) override {
    if (!ok_) {
      error = "cannot start liblzma";
      return Status::Error;
    }
    for (;;) {
      if (out.empty()) return Status::More;
      if (in.empty() && !last) return Status::More;
      s_.next_in = in.data();
      s_.avail_in = in.size();
      s_.next_out = out.data();
      s_.avail_out = out.size();
      lzma_ret ret = lzma_code(&s_, last ? LZMA_FINISH : LZMA_RUN);
      in = in.subspan(static_cast<size_t>(s_.next_in - in.data()));
      out = out.subspan(static_cast<size_t>(s_.next_out - out.data()));
      if (ret == LZMA_STREAM_END) return Status::End;
      if (ret == LZMA_OK) continue;
      if (ret == LZMA_BUF_ERROR) {
        if (!last) return Status::More;
        error = fmt::format("truncated xz data (it ends inside a stream, at byte {})", base_ + s_.total_in);
        return Status::Error;
      }
      const char* why = ret == LZMA_DATA_ERROR      ? "compressed data is corrupt"
                        : ret == LZMA_FORMAT_ERROR  ? "not in the .xz format"
                        : ret == LZMA_OPTIONS_ERROR ? "unsupported options"
                        : ret == LZMA_MEM_ERROR     ? "out of memory"
                                                    : "decoder error";
      error = fmt::format("corrupt xz data near byte {} ({})", base_ + s_.total_in, why);
      return Status::Error;
    }
  }
  uint64_t consumed() const override { return s_.total_in; }

 private:
  lzma_stream s_ = LZMA_STREAM_INIT;
  uint64_t base_;
  bool ok_ = false;
};

// Big-endian bit access into a byte array: `n` (<= 32) bits from bit `bit` (0 = the first byte's top bit).
uint64_t get_bits(const uint8_t* p, uint64_t bit, unsigned n) {
  uint64_t v = 0;
  const uint8_t* q = p + bit / 8;
  unsigned skip = static_cast<unsigned>(bit % 8);
  unsigned need = (skip + n + 7) / 8;  // <= 5
  for (unsigned i = 0; i < need; ++i) v = (v << 8) | q[i];
  return (v >> (need * 8 - skip - n)) & ((uint64_t{1} << n) - 1);
}

// Appends bits to a byte vector, most significant first.
class BitWriter {
 public:
  explicit BitWriter(std::vector<uint8_t>& out) : out_(out) {}
  void put(uint64_t v, unsigned n) {  // n <= 32
    acc_ = (acc_ << n) | (v & ((uint64_t{1} << n) - 1));
    nacc_ += n;
    while (nacc_ >= 8) {
      nacc_ -= 8;
      out_.push_back(static_cast<uint8_t>(acc_ >> nacc_));
    }
  }
  // `bits` bits of `src` from bit `first` on.
  void copy(const uint8_t* src, unsigned first, uint64_t bits) {
    if (nacc_ == 0 && first == 0) {
      out_.insert(out_.end(), src, src + bits / 8);
    } else if (nacc_ == 0) {
      size_t whole = bits / 8;
      size_t at = out_.size();
      out_.resize(at + whole);
      uint8_t* o = out_.data() + at;
      unsigned back = 8 - first;
      for (size_t i = 0; i < whole; ++i)
        o[i] = static_cast<uint8_t>((src[i] << first) | (src[i + 1] >> back));
    } else {
      for (uint64_t b = 0; b + 8 <= bits; b += 8) put(get_bits(src, first + b, 8), 8);
    }
    uint64_t done = bits / 8 * 8;
    if (unsigned rest = static_cast<unsigned>(bits - done)) put(get_bits(src, first + done, rest), rest);
  }
  void flush() {
    if (nacc_ > 0) put(0, 8 - nacc_);
  }

 private:
  std::vector<uint8_t>& out_;
  uint64_t acc_ = 0;
  unsigned nacc_ = 0;
};

}  // namespace

Codec sniff_codec(std::span<const char> head, bool& more) {
  more = false;
  // A zstd file may start with a skippable frame (magic 0x184D2A50 to 0x184D2A5F, RFC 8878 3.1.2): pzstd
  // writes one before every frame. The zstd decoder skips such frames.
  if (!head.empty() && (static_cast<unsigned char>(head[0]) & 0xf0) == 0x50) {
    constexpr std::string_view kSkippableRest("\x2a\x4d\x18", 3);
    size_t n = std::min(head.size() - 1, kSkippableRest.size());
    if (std::memcmp(head.data() + 1, kSkippableRest.data(), n) == 0) {
      if (n == kSkippableRest.size()) return Codec::Zstd;
      more = true;
    }
  }
  for (const Magic& m : kMagics) {
    size_t n = std::min(head.size(), m.bytes.size());
    if (std::memcmp(head.data(), m.bytes.data(), n) != 0) continue;
    if (m.codec == Codec::Bzip2) {
      if (head.size() < 4) {
        more = true;
        continue;
      }
      if (head[3] >= '1' && head[3] <= '9') return Codec::Bzip2;
      continue;
    }
    if (n == m.bytes.size()) return m.codec;
    more = true;
  }
  return Codec::None;
}

const char* codec_name(Codec c) {
  switch (c) {
    case Codec::Gzip:
      return "gzip";
    case Codec::Bzip2:
      return "bzip2";
    case Codec::Zstd:
      return "zstd";
    case Codec::Xz:
      return "xz";
    case Codec::None:
      break;
  }
  return "plain";
}

std::unique_ptr<StreamDecoder> make_stream_decoder(Codec c, uint64_t base) {
  switch (c) {
    case Codec::Gzip:
      return std::make_unique<GzipDecoder>(base);
    case Codec::Zstd:
      return std::make_unique<ZstdDecoder>(base);
    case Codec::Xz:
      return std::make_unique<XzDecoder>(base);
    default:
      return nullptr;
  }
}

// --- bzip2 blocks.

namespace {

// libbz2 allocates its state and the inverse BWT's table (400 KB per level) for every stream; a thread
// decodes one block after another, so the allocations are kept and handed out again.
struct BzArena {
  struct Slot {
    void* p = nullptr;
    size_t size = 0;
    bool used = false;
  };
  Slot slots[4];
  ~BzArena() {
    for (Slot& s : slots) std::free(s.p);
  }
  static void* alloc(void* opaque, int n, int m) {
    auto* a = static_cast<BzArena*>(opaque);
    size_t size = static_cast<size_t>(n) * static_cast<size_t>(m);
    for (Slot& s : a->slots)
      if (!s.used && s.p && s.size >= size) {
        s.used = true;
        return s.p;
      }
    for (Slot& s : a->slots)
      if (!s.used) {
        std::free(s.p);
        s.p = std::malloc(size);
        s.size = s.p ? size : 0;
        s.used = s.p != nullptr;
        return s.p;
      }
    return std::malloc(size);
  }
  static void release(void* opaque, void* p) {
    auto* a = static_cast<BzArena*>(opaque);
    for (Slot& s : a->slots)
      if (s.p == p) {
        s.used = false;
        return;
      }
    std::free(p);
  }
};

thread_local BzArena tl_arena;

}  // namespace

bool decode_bzip2_block(const Bzip2Block& block, Bzip2Scratch& scratch, ByteSink& out, std::string& error) {
  // A one-block stream: header, the block as it was, end-of-stream magic, the stream CRC (for one block,
  // its CRC), padding to a byte.
  std::vector<uint8_t>& s = scratch.stream;
  s.clear();
  s.reserve(block.bytes.size() + 16);
  s.push_back('B');
  s.push_back('Z');
  s.push_back('h');
  s.push_back(static_cast<uint8_t>('0' + block.level));
  BitWriter w(s);
  w.copy(block.bytes.data(), block.first_bit, block.bits);
  w.put(kEndMagic >> 24, 24);
  w.put(kEndMagic & 0xffffff, 24);
  w.put(block.crc, 32);
  w.flush();

  bz_stream z;
  std::memset(&z, 0, sizeof z);
  z.bzalloc = &BzArena::alloc;
  z.bzfree = &BzArena::release;
  z.opaque = &tl_arena;
  if (BZ2_bzDecompressInit(&z, 0, 0) != BZ_OK) {
    error = "cannot start libbz2";
    return false;
  }
  z.next_in = reinterpret_cast<char*>(s.data());
  z.avail_in = static_cast<unsigned>(s.size());
  bool ok = false;
  for (;;) {
    std::span<uint8_t> room = out.room();
    z.next_out = reinterpret_cast<char*>(room.data());
    z.avail_out = static_cast<unsigned>(std::min<size_t>(room.size(), 1u << 30));
    int ret = BZ2_bzDecompress(&z);
    out.wrote(static_cast<size_t>(reinterpret_cast<uint8_t*>(z.next_out) - room.data()));
    if (ret == BZ_STREAM_END) {
      ok = true;
      break;
    }
    if (ret != BZ_OK) {
      error = ret == BZ_DATA_ERROR  ? "bad CRC or corrupt data"
              : ret == BZ_MEM_ERROR ? "out of memory"
                                    : "bad header";
      break;
    }
    if (z.avail_in == 0 && z.avail_out > 0) {
      error = "cut short";
      break;
    }
  }
  BZ2_bzDecompressEnd(&z);
  return ok;
}

uint64_t Bzip2Splitter::bits_at(uint64_t bit, unsigned n) const {
  return get_bits(buf_.data(), bit - base_ * 8, n);
}

// The first block or end-of-stream magic at or after bit `from`, or UINT64_MAX when the bytes fed so far
// hold none (a magic cut by the end of the buffer is found once more bytes come).
uint64_t Bzip2Splitter::find_magic(uint64_t from, uint64_t& which) const {
  uint64_t end_bit = fed() * 8;
  if (from + 48 > end_bit) return UINT64_MAX;
  const uint8_t* p = buf_.data();
  size_t n = buf_.size();
  size_t k = static_cast<size_t>(from / 8 - base_);
  unsigned first = static_cast<unsigned>(from % 8);
  // Eight bit positions per byte, from a 64-bit big-endian window: position k*8+s holds bits s..s+47.
  for (; k + 8 <= n; ++k, first = 0) {
    // Quick test: a magic at shift s (0..7) covers byte k+1 whole, and that byte is one of 16 values; the
    // window's second byte decides nothing cheaply, so test the 48-bit values straight away.
    uint64_t w;
    std::memcpy(&w, p + k, 8);
    w = __builtin_bswap64(w);
    for (unsigned s = first; s < 8; ++s) {
      uint64_t v = (w >> (16 - s)) & kMagicMask;
      if (v == kBlockMagic || v == kEndMagic) {
        which = v;
        return (base_ + k) * 8 + s;
      }
    }
  }
  // The last few bytes, bit by bit.
  for (uint64_t b = std::max<uint64_t>(from, (base_ + k) * 8); b + 48 <= end_bit; ++b) {
    uint64_t v = (bits_at(b, 24) << 24) | bits_at(b + 24, 24);
    if (v == kBlockMagic || v == kEndMagic) {
      which = v;
      return b;
    }
  }
  return UINT64_MAX;
}

void Bzip2Splitter::error(std::string what) {
  Event e{Event::Kind::Error, {}, std::move(what)};
  sink_(std::move(e));
}

void Bzip2Splitter::emit_block(uint64_t end_bit) {
  Event e{Event::Kind::Block, {}, {}};
  Bzip2Block& b = e.block;
  uint64_t first_byte = block_start_ / 8;
  uint64_t last_byte = (end_bit + 7) / 8;
  b.bytes.assign(buf_.begin() + static_cast<ptrdiff_t>(first_byte - base_),
                 buf_.begin() + static_cast<ptrdiff_t>(last_byte - base_));
  b.first_bit = static_cast<uint32_t>(block_start_ % 8);
  b.bits = end_bit - block_start_;
  b.offset = first_byte;
  b.crc = block_crc_;
  b.level = level_;
  combined_ = ((combined_ << 1) | (combined_ >> 31)) ^ block_crc_;
  sink_(std::move(e));
}

void Bzip2Splitter::drop_before(uint64_t byte) {
  // Keep the buffer from growing: drop what no block needs any more, in big steps (a memmove of the rest).
  if (byte <= base_ || byte - base_ < (1u << 20)) return;
  buf_.erase(buf_.begin(), buf_.begin() + static_cast<ptrdiff_t>(byte - base_));
  base_ = byte;
}

void Bzip2Splitter::feed(std::span<const uint8_t> bytes) {
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
  run(false);
}

void Bzip2Splitter::finish() {
  run(true);
}

void Bzip2Splitter::run(bool at_end) {
  uint64_t end_bit = fed() * 8;
  for (;;) {
    switch (state_) {
      case State::Header: {  // byte aligned: "BZh" and the level digit, or the end
        uint64_t at = pos_ / 8;
        if (at + 4 > fed()) {
          if (!at_end) return;
          if (at < fed())
            error(fmt::format("truncated bzip2 data (a stream header cut short at byte {})", at));
          return;
        }
        const uint8_t* h = buf_.data() + (at - base_);
        if (h[0] != 'B' || h[1] != 'Z' || h[2] != 'h' || h[3] < '1' || h[3] > '9') {
          error(fmt::format("trailing garbage after bzip2 data at byte {}; ignored", at));
          state_ = State::Garbage;
          continue;
        }
        level_ = h[3] - '0';
        combined_ = 0;
        damaged_ = false;
        any_stream_ = true;
        pos_ += 32;
        state_ = State::BlockStart;
        continue;
      }
      case State::BlockStart: {  // a block magic and CRC, or the end magic and the stream CRC
        if (pos_ + 80 > end_bit) {
          if (!at_end) return;
          error(fmt::format("truncated bzip2 data (it ends at byte {}, inside a stream)", fed()));
          return;
        }
        uint64_t magic = (bits_at(pos_, 24) << 24) | bits_at(pos_ + 24, 24);
        uint32_t crc = static_cast<uint32_t>(bits_at(pos_ + 48, 32));
        if (magic == kBlockMagic) {
          block_start_ = pos_;
          block_crc_ = crc;
          scan_from_ = pos_ + 80;
          skipping_ = false;
          state_ = State::Scan;
          continue;
        }
        if (magic == kEndMagic) {
          if (crc != combined_ && !damaged_)
            error(fmt::format("bzip2 stream CRC mismatch at byte {} (blocks missing or out of order)",
                              pos_ / 8));
          pos_ = (pos_ + 80 + 7) / 8 * 8;
          drop_before(pos_ / 8);
          state_ = State::Header;
          continue;
        }
        error(fmt::format("corrupt bzip2 data at byte {} (no block header); skipped to the next block",
                          pos_ / 8));
        damaged_ = true;
        skipping_ = true;
        scan_from_ = pos_ + 1;
        state_ = State::Scan;
        continue;
      }
      case State::Scan: {  // the block's end: the next magic
        uint64_t which = 0;
        uint64_t at = find_magic(scan_from_, which);
        if (at == UINT64_MAX) {
          scan_from_ = std::max(scan_from_, end_bit >= 47 ? end_bit - 47 : 0);
          if (!skipping_ && end_bit - block_start_ > kMaxBlockBytes * 8) {
            error(fmt::format("corrupt bzip2 block at byte {} (no end found); skipped", block_start_ / 8));
            damaged_ = true;
            skipping_ = true;
          }
          if (at_end) {
            if (!skipping_)
              error(fmt::format("truncated bzip2 data (it ends at byte {}, inside the block at byte {})",
                                fed(), block_start_ / 8));
            return;
          }
          drop_before(skipping_ ? scan_from_ / 8 : block_start_ / 8);
          return;
        }
        if (!skipping_) emit_block(at);
        pos_ = at;
        drop_before(pos_ / 8);
        state_ = State::BlockStart;
        continue;
      }
      case State::Garbage:
        drop_before(fed());
        return;
    }
  }
}

}  // namespace trendtop
