// Pieces: the parts of one compressed file that decode apart, so that one file decodes on every core and is
// put back in order: the frames of a multi-frame zstd file (pzstd), the members of a BGZF file (bgzip), the
// blocks of a multi-block xz file (xz -T). Their boundaries are found without decoding anything:
//
// - zstd: a frame's header, then its blocks' 3-byte headers, each giving the block's stored size (RFC 8878
//   3.1.1), up to the last block and the optional checksum; skippable frames (which pzstd writes before each
//   frame) are passed over by their size field.
// - BGZF: a gzip member whose extra field holds the subfield "BC" with the member's size less one (SAM/BAM
//   specification, 4.1). A gzip member without it has no length anywhere: its end is found only by
//   inflating it, so such a member and what follows stay one stream.
// - xz: the index at the end of each stream lists every block's sizes; liblzma's file-info decoder reads
//   all the streams' indexes from the end of the file, as `xz --list` does (it needs to seek: regular files
//   only).
//
// Sizes read from the file are never trusted further than the file: a piece always lies inside the file,
// walking a zstd frame stops at kMaxFrameBytes (a bigger frame is decoded as a stream instead, so the
// planner never walks far ahead of the decoding), and an xz index may take at most kMaxXzIndexMemory.
// Decoding a piece checks it as the format's own tool does (zstd's checksum, gzip's CRC-32 and length, the
// xz block's check and its sizes against the index).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "input/decompress.h"

namespace trendtop {

// One piece: the bytes [begin, end) of the compressed input; for an xz block, what the index says of it.
struct Piece {
  uint64_t begin = 0, end = 0;
  uint64_t unpadded = 0;      // xz: header, compressed data and check, without the padding
  uint64_t uncompressed = 0;  // xz: the decoded size
  uint32_t check = 0;         // xz: the stream's check type (lzma_check)
};

// Reads up to `n` bytes at `offset` of the input into `into`: how many were read (fewer only at the end of
// the input, or on an error, which the decoding of the rest then reports).
using ReadAt = std::function<size_t(uint64_t offset, uint8_t* into, size_t n)>;

inline constexpr uint64_t kMaxFrameBytes = 8 << 20;
inline constexpr uint64_t kMaxXzIndexMemory = 16 << 20;

// Walks a zstd or BGZF file of `size` bytes piece by piece from its start.
class PieceWalker {
 public:
  PieceWalker(Codec codec, ReadAt read, uint64_t size) : codec_(codec), read_(std::move(read)), size_(size) {}
  enum class Found {
    Piece,  // `piece` is the next piece
    Tail,   // from piece.begin on, the input does not split (not BGZF, not a zstd frame, a frame cut short
            // or too big, garbage): decode the rest as one stream, which reports what is wrong
    End,    // the input ends here
  };
  Found next(Piece& piece);

 private:
  bool zstd_frame_end(uint64_t begin, uint64_t& end);
  Codec codec_;
  ReadAt read_;
  uint64_t size_;
  uint64_t at_ = 0;
};

// A BGZF member's total size from its first bytes (the gzip header with its extra field), or 0 when they are
// not a BGZF member's. `head` may be cut short; then 0 unless the size was already in it.
uint64_t bgzf_member_size(std::span<const uint8_t> head);

// The blocks of a regular .xz file, in order, from its streams' indexes.
class XzBlocks {
 public:
  XzBlocks();
  ~XzBlocks();
  XzBlocks(const XzBlocks&) = delete;
  XzBlocks& operator=(const XzBlocks&) = delete;
  // Reads the indexes. False (with why) when they cannot be read: not .xz, cut short, corrupt, or an index
  // past kMaxXzIndexMemory; the file is then decoded as one stream, which reports the damage.
  bool load(const ReadAt& read, uint64_t size, std::string& why);
  uint64_t count() const;
  // The next block; false after the last.
  bool next(Piece& piece);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Decodes one piece on its own. A thread keeps one and start()s it for every piece, so that the codecs'
// allocations are reused.
class PieceDecoder {
 public:
  PieceDecoder();
  ~PieceDecoder();
  PieceDecoder(const PieceDecoder&) = delete;
  PieceDecoder& operator=(const PieceDecoder&) = delete;
  void start(Codec codec, const Piece& piece);
  // As StreamDecoder::decode over the piece's bytes, from piece.begin on; `last`: `in` holds the piece's last
  // bytes. End: the piece decoded whole and checked, and nothing of it is left over. Error: `error` says why
  // (not where: the caller names the piece).
  StreamDecoder::Status decode(std::span<const uint8_t>& in, std::span<uint8_t>& out, bool last,
                               std::string& error);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What a piece of `codec` is called in messages: "frame", "member", "block".
const char* piece_noun(Codec codec);

}  // namespace trendtop
