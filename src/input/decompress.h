// Decompression: the formats archives come in, recognised by their magic bytes (never by a file's name), and
// the pieces the archive reader (archive.h) runs on its threads.
//
// - gzip (zlib), zstd (libzstd) and xz (liblzma) are decoded as streams by StreamDecoder: concatenated
//   members, frames and streams go on as one byte stream, as zcat, zstd -dc and xzcat print them. (A
//   regular file of many zstd frames, BGZF members or xz blocks is split into those first: pieces.h.)
// - bzip2 (libbz2) is split into its blocks first (Bzip2Splitter): a bzip2 block is independent of the
//   others, so blocks decode on any thread and are put back in order. Block boundaries are found the way
//   lbzip2 and pbzip2 find them, by the 48-bit block magic 0x314159265359 at any bit position; each block is
//   then re-framed as a one-block bzip2 stream ("BZh" level, the block's bits moved to a byte boundary, the
//   end-of-stream magic and the block's CRC as the stream CRC) and decoded by libbz2, which checks the
//   block's CRC; the splitter checks each stream's combined CRC against the block CRCs it saw.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace trendtop {

enum class Codec { None, Gzip, Bzip2, Zstd, Xz };

// The codec whose magic `head` starts with. `more` is set when `head` is a proper prefix of a magic (too
// short to tell): read more bytes and ask again.
Codec sniff_codec(std::span<const char> head, bool& more);
// The magic bytes' longest length: a read of this many bytes always decides.
constexpr size_t kMagicMax = 6;
const char* codec_name(Codec c);

// A streaming decoder of one format (gzip, zstd or xz). Concatenated members/frames/streams are one stream.
class StreamDecoder {
 public:
  enum class Status { More, End, Error };
  virtual ~StreamDecoder() = default;
  // Decodes from `in` into `out`, advancing both past what was used. `last`: `in` holds the input's last
  // bytes. More: call again (with more input, more room, or both); End: the input ended at a member
  // boundary and everything is out; Error: corrupt or truncated (error says what), nothing more comes out.
  virtual Status decode(std::span<const uint8_t>& in, std::span<uint8_t>& out, bool last,
                        std::string& error) = 0;
  // Compressed bytes consumed so far (for error offsets).
  virtual uint64_t consumed() const = 0;
};
// `base`: where the decoder's first byte is in the input, for the offsets its messages give.
std::unique_ptr<StreamDecoder> make_stream_decoder(Codec c, uint64_t base = 0);

// One bzip2 block as found in the compressed stream: its bits (from the block magic up to the next block's
// magic or the end-of-stream magic), its stored CRC and the stream's block size level.
struct Bzip2Block {
  std::vector<uint8_t> bytes;  // the bytes holding the block's bits
  uint32_t first_bit = 0;      // the block magic's first bit within bytes[0] (0 = most significant)
  uint64_t bits = 0;           // the block's length in bits
  uint64_t offset = 0;         // where the block starts in the compressed input (bytes)
  uint32_t crc = 0;
  int level = 9;
};

// Reusable per-thread state for decode_bzip2_block (the re-framed stream, libbz2's allocations).
struct Bzip2Scratch {
  std::vector<uint8_t> stream;
};

// Where decoded bytes go: room() is space for the next bytes (never empty), wrote(n) says n of them were
// written.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual std::span<uint8_t> room() = 0;
  virtual void wrote(size_t n) = 0;
};

// Decodes one block into `out`. False with a message when the block is corrupt (bad CRC, bad Huffman data,
// cut short); what it wrote before noticing stays written.
bool decode_bzip2_block(const Bzip2Block& block, Bzip2Scratch& scratch, ByteSink& out, std::string& error);

// Splits a bzip2 byte stream, fed in pieces of any size, into blocks. Concatenated streams go on; the
// combined CRC of each stream is checked.
class Bzip2Splitter {
 public:
  // What the splitter found: a block to decode, or an error to report at this point of the stream. After an
  // error the splitter skips to the next block magic it finds (a damaged block), or ends.
  struct Event {
    enum class Kind { Block, Error } kind;
    Bzip2Block block;
    std::string error;
  };
  using EventSink = std::function<void(Event&&)>;

  explicit Bzip2Splitter(EventSink sink) : sink_(std::move(sink)) {}
  // Feeds the next bytes of the stream.
  void feed(std::span<const uint8_t> bytes);
  // The stream ended: reports a truncated stream or block.
  void finish();
  // Bytes fed so far.
  uint64_t fed() const { return base_ + buf_.size(); }

 private:
  enum class State { Header, BlockStart, Scan, Garbage };
  void run(bool at_end);
  uint64_t bits_at(uint64_t bit, unsigned n) const;  // n <= 32 bits from absolute bit position `bit`
  uint64_t find_magic(uint64_t from, uint64_t& which) const;
  void emit_block(uint64_t end_bit);
  void error(std::string what);
  void drop_before(uint64_t byte);

  EventSink sink_;
  std::vector<uint8_t> buf_;  // the stream's bytes from base_ on
  uint64_t base_ = 0;         // absolute offset of buf_[0]
  State state_ = State::Header;
  uint64_t pos_ = 0;          // absolute bit position the state refers to
  uint64_t block_start_ = 0;  // absolute bit position of the current block's magic
  uint64_t scan_from_ = 0;
  uint32_t block_crc_ = 0;
  uint32_t combined_ = 0;
  int level_ = 9;
  bool any_stream_ = false;
  bool damaged_ = false;   // this stream lost a block: its combined CRC cannot match, so is not checked
  bool skipping_ = false;  // looking for the next magic after damage, with no block to emit
};

}  // namespace trendtop
