#include "input/pieces.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <fmt/format.h>

namespace trendtop {

namespace {

constexpr uint64_t kZstdBlockMax = 128 << 10;  // RFC 8878 3.1.1.2.4: no block holds more
constexpr uint64_t kMaxXzBlockMemory = uint64_t{1} << 30;

uint32_t le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

bool is_skippable(const uint8_t* p) {
  return (p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d && p[3] == 0x18;
}

const char* lzma_reason(lzma_ret r) {
  switch (r) {
    case LZMA_DATA_ERROR:
      return "compressed data is corrupt";
    case LZMA_FORMAT_ERROR:
      return "not in the .xz format";
    case LZMA_OPTIONS_ERROR:
      return "unsupported options";
    case LZMA_MEM_ERROR:
      return "out of memory";
    case LZMA_MEMLIMIT_ERROR:
      return "needs too much memory";
    case LZMA_BUF_ERROR:
      return "cut short";
    default:
      return "decoder error";
  }
}

}  // namespace

// --- Finding the pieces.

uint64_t bgzf_member_size(std::span<const uint8_t> h) {
  // ID1 ID2 CM FLG (FEXTRA), MTIME, XFL, OS, XLEN, then XLEN bytes of subfields: SI1 SI2 SLEN data.
  if (h.size() < 12 || h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 || !(h[3] & 4)) return 0;
  uint64_t xlen = h[10] | uint64_t{h[11]} << 8;
  uint64_t end = std::min<uint64_t>(12 + xlen, h.size());
  for (uint64_t p = 12; p + 4 <= end;) {
    uint64_t slen = h[p + 2] | uint64_t{h[p + 3]} << 8;
    if (h[p] == 'B' && h[p + 1] == 'C' && slen == 2 && p + 6 <= end) {
      uint64_t size = (h[p + 4] | uint64_t{h[p + 5]} << 8) + 1;
      // The header, an empty deflate stream (2 bytes) and the trailer at least; more is the decoder's to
      // check.
      return size >= 12 + xlen + 2 + 8 ? size : 0;
    }
    p += 4 + slen;
  }
  return 0;
}

// The end of the zstd frame at `begin`, from its header and its blocks' headers; false when the frame is not
// one that can be walked (bad header, reserved block type, cut short, bigger than kMaxFrameBytes).
bool PieceWalker::zstd_frame_end(uint64_t begin, uint64_t& end) {
  uint8_t h[18];
  size_t n = read_(begin, h, sizeof h);
  if (n < 6 || le32(h) != 0xFD2FB528u) return false;
  uint8_t fhd = h[4];
  if (fhd & 0x08) return false;  // reserved bit
  unsigned fcs_flag = fhd >> 6, single = (fhd >> 5) & 1, checksum = (fhd >> 2) & 1, did_flag = fhd & 3;
  static constexpr unsigned kDid[] = {0, 1, 2, 4};
  static constexpr unsigned kFcs[] = {0, 2, 4, 8};
  uint64_t pos = begin + 5 + (single ? 0 : 1) + kDid[did_flag] + (fcs_flag == 0 ? single : kFcs[fcs_flag]);
  uint8_t b[3];
  for (;;) {
    if (pos - begin > kMaxFrameBytes || read_(pos, b, 3) < 3) return false;
    uint32_t bh = b[0] | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16;
    unsigned type = (bh >> 1) & 3;
    uint64_t bsize = bh >> 3;
    if (type == 3 || bsize > kZstdBlockMax) return false;
    pos += 3 + (type == 1 ? 1 : bsize);  // an RLE block stores one byte
    if (bh & 1) break;
  }
  pos += checksum ? 4 : 0;
  if (pos > size_ || pos - begin > kMaxFrameBytes) return false;
  end = pos;
  return true;
}

PieceWalker::Found PieceWalker::next(Piece& piece) {
  for (;;) {
    piece = Piece{};
    piece.begin = at_;
    if (at_ >= size_) return Found::End;
    if (codec_ == Codec::Zstd) {
      uint8_t h[8];
      size_t n = read_(at_, h, sizeof h);
      if (n >= 4 && is_skippable(h)) {  // a skippable frame: nothing to decode
        if (n < 8 || size_ - at_ - 8 < le32(h + 4)) return Found::Tail;
        at_ += 8 + le32(h + 4);
        continue;
      }
      uint64_t end = 0;
      if (!zstd_frame_end(at_, end)) return Found::Tail;
      piece.end = at_ = end;
      return Found::Piece;
    }
    if (codec_ == Codec::Gzip) {
      uint8_t h[18];
      size_t n = read_(at_, h, sizeof h);
      uint64_t size = bgzf_member_size({h, n});
      if (size == 0 && n >= 12 && (h[3] & 4)) {  // the BC subfield further into a longer extra field
        std::vector<uint8_t> more(12 + (h[10] | size_t{h[11]} << 8));
        size = bgzf_member_size({more.data(), read_(at_, more.data(), more.size())});
      }
      if (size == 0 || size > size_ - at_) return Found::Tail;
      piece.end = at_ = at_ + size;
      return Found::Piece;
    }
    return Found::Tail;
  }
}

// --- xz: the blocks from the indexes.

struct XzBlocks::Impl {
  lzma_index* index = nullptr;
  lzma_index_iter iter;
  ~Impl() { lzma_index_end(index, nullptr); }
};

XzBlocks::XzBlocks() : impl_(std::make_unique<Impl>()) {}
XzBlocks::~XzBlocks() = default;

bool XzBlocks::load(const ReadAt& read, uint64_t size, std::string& why) {
  lzma_stream s = LZMA_STREAM_INIT;
  lzma_index* index = nullptr;
  if (lzma_file_info_decoder(&s, &index, kMaxXzIndexMemory, size) != LZMA_OK) {
    why = "cannot start liblzma";
    return false;
  }
  std::vector<uint8_t> buf(64 << 10);
  uint64_t pos = 0;
  lzma_ret ret = LZMA_OK;
  for (;;) {
    if (s.avail_in == 0) {
      size_t n = pos < size ? read(pos, buf.data(), std::min<uint64_t>(buf.size(), size - pos)) : 0;
      if (n == 0) {  // the decoder wants bytes the file does not have
        ret = LZMA_BUF_ERROR;
        break;
      }
      s.next_in = buf.data();
      s.avail_in = n;
      pos += n;
    }
    ret = lzma_code(&s, LZMA_RUN);
    if (ret == LZMA_SEEK_NEEDED) {
      pos = s.seek_pos;
      s.avail_in = 0;
      continue;
    }
    if (ret != LZMA_OK) break;
  }
  lzma_end(&s);
  if (ret != LZMA_STREAM_END) {
    why = lzma_reason(ret);
    return false;
  }
  lzma_index_end(impl_->index, nullptr);
  impl_->index = index;
  // Every block inside the file, in order, each stream's flags known: then the pieces can be trusted as
  // ranges of the file (liblzma has checked the sizes add up; this is belt and braces).
  lzma_index_iter_init(&impl_->iter, index);
  uint64_t last_end = 0;
  while (!lzma_index_iter_next(&impl_->iter, LZMA_INDEX_ITER_BLOCK)) {
    const auto& b = impl_->iter.block;
    if (!impl_->iter.stream.flags || b.compressed_file_offset < last_end || b.total_size > size ||
        b.compressed_file_offset > size - b.total_size) {
      why = "an index that does not fit the file";
      return false;
    }
    last_end = b.compressed_file_offset + b.total_size;
  }
  lzma_index_iter_rewind(&impl_->iter);
  return true;
}

uint64_t XzBlocks::count() const {
  return impl_->index ? lzma_index_block_count(impl_->index) : 0;
}

bool XzBlocks::next(Piece& piece) {
  if (!impl_->index || lzma_index_iter_next(&impl_->iter, LZMA_INDEX_ITER_BLOCK)) return false;
  const auto& b = impl_->iter.block;
  piece = Piece{};
  piece.begin = b.compressed_file_offset;
  piece.end = b.compressed_file_offset + b.total_size;
  piece.unpadded = b.unpadded_size;
  piece.uncompressed = b.uncompressed_size;
  piece.check = static_cast<uint32_t>(impl_->iter.stream.flags->check);
  return true;
}

// --- Decoding one piece.

struct PieceDecoder::Impl {
  Codec codec = Codec::None;
  Piece piece;
  bool done = false;  // the piece's data ended: any byte more is an error
  ZSTD_DCtx* zstd = nullptr;
  z_stream gz;
  bool gz_ready = false;
  lzma_stream xz = LZMA_STREAM_INIT;
  lzma_block block{};  // the block decoder reads it (sizes, check) until the block ends
  bool xz_header_done = false;
  std::vector<uint8_t> xz_header;
  size_t xz_header_size = 0;

  ~Impl() {
    ZSTD_freeDCtx(zstd);
    if (gz_ready) inflateEnd(&gz);
    lzma_end(&xz);
  }
  StreamDecoder::Status zstd_decode(std::span<const uint8_t>& in, std::span<uint8_t>& out, bool last,
                                    std::string& error);
  StreamDecoder::Status gzip_decode(std::span<const uint8_t>& in, std::span<uint8_t>& out, bool last,
                                    std::string& error);
  StreamDecoder::Status xz_decode(std::span<const uint8_t>& in, std::span<uint8_t>& out, bool last,
                                  std::string& error);
  bool xz_start(std::string& error);
};

PieceDecoder::PieceDecoder() : impl_(std::make_unique<Impl>()) {}
PieceDecoder::~PieceDecoder() = default;

void PieceDecoder::start(Codec codec, const Piece& piece) {
  Impl& d = *impl_;
  d.codec = codec;
  d.piece = piece;
  d.done = false;
  if (codec == Codec::Zstd) {
    if (!d.zstd) d.zstd = ZSTD_createDCtx();
    if (d.zstd) ZSTD_DCtx_reset(d.zstd, ZSTD_reset_session_only);
  } else if (codec == Codec::Gzip) {
    if (!d.gz_ready) {
      std::memset(&d.gz, 0, sizeof d.gz);
      d.gz_ready = inflateInit2(&d.gz, 15 + 16) == Z_OK;
    } else {
      inflateReset(&d.gz);
    }
  } else if (codec == Codec::Xz) {
    d.xz_header_done = false;
    d.xz_header.clear();
    d.xz_header_size = 0;
  }
}

StreamDecoder::Status PieceDecoder::decode(std::span<const uint8_t>& in, std::span<uint8_t>& out, bool last,
                                           std::string& error) {
  Impl& d = *impl_;
  StreamDecoder::Status s = StreamDecoder::Status::More;
  if (!d.done) {
    switch (d.codec) {
      case Codec::Zstd:
        s = d.zstd_decode(in, out, last, error);
        break;
      case Codec::Gzip:
        s = d.gzip_decode(in, out, last, error);
        break;
      case Codec::Xz:
        s = d.xz_decode(in, out, last, error);
        break;
      default:
        error = "not a codec with pieces";
        return StreamDecoder::Status::Error;
    }
    if (s == StreamDecoder::Status::Error) return s;
  }
  if (!d.done) return s;
  // The data ended; the piece must end with it.
  if (!in.empty()) {
    error = fmt::format("it ends {} bytes before its end as {}", in.size(),
                        d.codec == Codec::Gzip ? "its BGZF size says" : "the index says");
    return StreamDecoder::Status::Error;
  }
  return last ? StreamDecoder::Status::End : StreamDecoder::Status::More;
}

StreamDecoder::Status PieceDecoder::Impl::zstd_decode(std::span<const uint8_t>& in, std::span<uint8_t>& out,
                                                      bool last, std::string& error) {
  if (!zstd) {
    error = "cannot start libzstd";
    return StreamDecoder::Status::Error;
  }
  for (;;) {
    if (out.empty() || (in.empty() && !last)) return StreamDecoder::Status::More;
    ZSTD_inBuffer ib{in.data(), in.size(), 0};
    ZSTD_outBuffer ob{out.data(), out.size(), 0};
    size_t r = ZSTD_decompressStream(zstd, &ob, &ib);
    if (ZSTD_isError(r)) {
      error = ZSTD_getErrorName(r);
      return StreamDecoder::Status::Error;
    }
    in = in.subspan(ib.pos);
    out = out.subspan(ob.pos);
    if (r == 0) {  // the frame is whole and checked
      done = true;
      return StreamDecoder::Status::More;
    }
    if (in.empty() && ib.pos == 0 && ob.pos == 0 && !out.empty()) {  // last, and nothing moves
      error = "cut short";
      return StreamDecoder::Status::Error;
    }
  }
}

StreamDecoder::Status PieceDecoder::Impl::gzip_decode(std::span<const uint8_t>& in, std::span<uint8_t>& out,
                                                      bool last, std::string& error) {
  if (!gz_ready) {
    error = "cannot start zlib";
    return StreamDecoder::Status::Error;
  }
  for (;;) {
    if (out.empty() || (in.empty() && !last)) return StreamDecoder::Status::More;
    gz.next_in = const_cast<Bytef*>(in.data());
    gz.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), 1u << 30));
    gz.next_out = out.data();
    gz.avail_out = static_cast<uInt>(std::min<size_t>(out.size(), 1u << 30));
    int ret = inflate(&gz, Z_NO_FLUSH);
    size_t used = static_cast<size_t>(gz.next_in - in.data());
    size_t made = static_cast<size_t>(gz.next_out - out.data());
    in = in.subspan(used);
    out = out.subspan(made);
    if (ret == Z_STREAM_END) {  // the member is whole; zlib has checked its CRC-32 and length
      done = true;
      return StreamDecoder::Status::More;
    }
    if (ret == Z_OK) continue;
    if (ret == Z_BUF_ERROR && in.empty() && used == 0 && made == 0) {
      error = "cut short";
      return StreamDecoder::Status::Error;
    }
    if (ret == Z_BUF_ERROR) continue;
    error = gz.msg ? gz.msg : "inflate failed";
    return StreamDecoder::Status::Error;
  }
}

// The block header is whole in xz_header: read it, check it against the index, start the block decoder.
bool PieceDecoder::Impl::xz_start(std::string& error) {
  lzma_filter filters[LZMA_FILTERS_MAX + 1];
  block = lzma_block{};
  block.version = 1;
  block.check = static_cast<lzma_check>(piece.check);
  block.header_size = static_cast<uint32_t>(xz_header_size);
  block.filters = filters;
  lzma_ret r = lzma_block_header_decode(&block, nullptr, xz_header.data());
  if (r != LZMA_OK) {
    error = fmt::format("bad block header: {}", lzma_reason(r));
    return false;
  }
  bool ok = false;
  if (lzma_block_compressed_size(&block, piece.unpadded) != LZMA_OK ||
      (block.uncompressed_size != LZMA_VLI_UNKNOWN && block.uncompressed_size != piece.uncompressed)) {
    error = "its header's sizes disagree with the index";
  } else if (uint64_t need = lzma_raw_decoder_memusage(filters); need > kMaxXzBlockMemory) {
    error = fmt::format("it needs {} MiB to decode, more than {} MiB", need >> 20, kMaxXzBlockMemory >> 20);
  } else {
    block.uncompressed_size = piece.uncompressed;
    r = lzma_block_decoder(&xz, &block);
    ok = r == LZMA_OK;
    if (!ok) error = lzma_reason(r);
  }
  lzma_filters_free(filters, nullptr);
  return ok;
}

StreamDecoder::Status PieceDecoder::Impl::xz_decode(std::span<const uint8_t>& in, std::span<uint8_t>& out,
                                                    bool last, std::string& error) {
  if (!xz_header_done) {
    if (xz_header.empty() && !in.empty()) {
      if (in[0] == 0) {
        error = "no block header where the index puts a block";
        return StreamDecoder::Status::Error;
      }
      xz_header_size = lzma_block_header_size_decode(in[0]);
    }
    size_t take = std::min(in.size(), xz_header_size - xz_header.size());
    xz_header.insert(xz_header.end(), in.begin(), in.begin() + static_cast<ptrdiff_t>(take));
    in = in.subspan(take);
    if (xz_header.empty() || xz_header.size() < xz_header_size) {
      if (!last) return StreamDecoder::Status::More;
      error = "cut short";
      return StreamDecoder::Status::Error;
    }
    if (!xz_start(error)) return StreamDecoder::Status::Error;
    xz_header_done = true;
  }
  for (;;) {
    if (out.empty() || (in.empty() && !last)) return StreamDecoder::Status::More;
    xz.next_in = in.data();
    xz.avail_in = in.size();
    xz.next_out = out.data();
    xz.avail_out = out.size();
    lzma_ret r = lzma_code(&xz, LZMA_RUN);
    size_t used = static_cast<size_t>(xz.next_in - in.data());
    size_t made = static_cast<size_t>(xz.next_out - out.data());
    in = in.subspan(used);
    out = out.subspan(made);
    if (r == LZMA_STREAM_END) {  // the block is whole: its check and sizes are checked
      done = true;
      return StreamDecoder::Status::More;
    }
    if (r == LZMA_OK && (used || made || !in.empty())) continue;
    if (r == LZMA_OK || r == LZMA_BUF_ERROR) {
      error = "cut short";
      return StreamDecoder::Status::Error;
    }
    error = lzma_reason(r);
    return StreamDecoder::Status::Error;
  }
}

const char* piece_noun(Codec codec) {
  switch (codec) {
    case Codec::Zstd:
      return "frame";
    case Codec::Gzip:
      return "member";
    default:
      return "block";
  }
}

}  // namespace trendtop
