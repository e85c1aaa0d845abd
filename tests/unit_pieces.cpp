// The pieces of one compressed file (src/input/pieces.h): zstd frames, BGZF members and xz blocks found
// without decoding, on files made here with the libraries (the ranges are known from how they were made),
// and each piece decoded alone.
#include <catch2/catch.hpp>

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "input/pieces.h"

using namespace trendtop;

namespace {

// Text that compresses like tweets do, `n` bytes, deterministic.
std::string text(size_t n, unsigned seed) {
  static const char* words[] = {"#trend", "hello", "world", "RT", "@user", "the", "a", "{\"id\":", "}\n"};
  std::mt19937 rng(seed);
  std::string s;
  while (s.size() < n) s += std::string(words[rng() % 9]) + " ";
  s.resize(n);
  return s;
}

std::string noise(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, 0);
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

std::string zstd_frame(const std::string& in, bool checksum, int level = 3) {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, checksum ? 1 : 0);
  std::string out(ZSTD_compressBound(in.size()), 0);
  size_t n = ZSTD_compress2(c, out.data(), out.size(), in.data(), in.size());
  ZSTD_freeCCtx(c);
  REQUIRE(!ZSTD_isError(n));
  out.resize(n);
  return out;
}

std::string le(uint64_t v, int bytes) {
  std::string s;
  for (int i = 0; i < bytes; ++i) s += static_cast<char>(v >> (8 * i));
  return s;
}

std::string skippable(size_t n) {
  return le(0x184D2A53, 4) + le(n, 4) + std::string(n, 'x');
}

// A gzip member; with `bc`, in BGZF's layout (the BC subfield after `before` bytes of other subfields).
std::string gzip_member(const std::string& in, bool bc, const std::string& before = "") {
  z_stream z;
  std::memset(&z, 0, sizeof z);
  REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string body(deflateBound(&z, in.size()), 0);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(body.data());
  z.avail_out = static_cast<uInt>(body.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  body.resize(z.total_out);
  deflateEnd(&z);
  uint32_t crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(in.data()), in.size()));
  std::string trailer = le(crc, 4) + le(in.size(), 4);
  if (!bc) return std::string("\x1f\x8b\x08\x00\0\0\0\0\0\xff", 10) + body + trailer;
  std::string extra = before + "BC" + le(2, 2);
  size_t total = 12 + extra.size() + 2 + body.size() + trailer.size();
  return std::string("\x1f\x8b\x08\x04\0\0\0\0\0\xff", 10) + le(extra.size() + 2, 2) + extra +
         le(total - 1, 2) + body + trailer;
}

// An .xz stream of blocks of `block` bytes each (liblzma's multithreaded encoder).
std::string xz_stream(const std::string& in, uint64_t block) {
  lzma_mt mt{};
  mt.threads = 2;
  mt.block_size = block;
  mt.preset = 1;
  mt.check = LZMA_CHECK_CRC64;
  lzma_stream s = LZMA_STREAM_INIT;
  REQUIRE(lzma_stream_encoder_mt(&s, &mt) == LZMA_OK);
  std::string out(lzma_stream_buffer_bound(in.size()) + 4096, 0);
  s.next_in = reinterpret_cast<const uint8_t*>(in.data());
  s.avail_in = in.size();
  s.next_out = reinterpret_cast<uint8_t*>(out.data());
  s.avail_out = out.size();
  REQUIRE(lzma_code(&s, LZMA_FINISH) == LZMA_STREAM_END);
  out.resize(s.total_out);
  lzma_end(&s);
  return out;
}

// Reads from a string, and checks that no read asks for much (sizes from the file never make a read big).
ReadAt reader(const std::string& file, size_t* reads = nullptr) {
  return [&file, reads](uint64_t offset, uint8_t* into, size_t n) -> size_t {
    CHECK(n <= (64 << 10) + 12);
    if (reads) ++*reads;
    if (offset >= file.size()) return 0;
    size_t k = std::min<uint64_t>(n, file.size() - offset);
    std::memcpy(into, file.data() + offset, k);
    return k;
  };
}

struct Walk {
  std::vector<Piece> pieces;
  PieceWalker::Found last;
  uint64_t tail = 0;
};

Walk walk(Codec codec, const std::string& file) {
  Walk w;
  PieceWalker walker(codec, reader(file), file.size());
  Piece p;
  while ((w.last = walker.next(p)) == PieceWalker::Found::Piece) {
    REQUIRE(p.begin < p.end);
    REQUIRE(p.end <= file.size());
    w.pieces.push_back(p);
  }
  w.tail = p.begin;
  return w;
}

// Decodes one piece of `file`, fed in odd-sized steps into odd-sized room.
StreamDecoder::Status decode(PieceDecoder& d, Codec codec, const Piece& p, const std::string& file,
                             std::string& out, std::string& error, unsigned seed = 1) {
  d.start(codec, p);
  std::mt19937 rng(seed);
  uint64_t at = p.begin;
  std::span<const uint8_t> in;
  char buf[3001];
  for (int turns = 0; turns < 1000000; ++turns) {
    if (in.empty() && at < p.end) {
      size_t n = std::min<uint64_t>(1 + rng() % 5000, p.end - at);
      in = {reinterpret_cast<const uint8_t*>(file.data()) + at, n};
      at += n;
    }
    std::span<uint8_t> room(reinterpret_cast<uint8_t*>(buf), 1 + rng() % sizeof buf);
    size_t size = room.size();
    StreamDecoder::Status s = d.decode(in, room, at == p.end, error);
    out.append(buf, size - room.size());
    if (s != StreamDecoder::Status::More) return s;
  }
  FAIL("the decoder does not end");
  return StreamDecoder::Status::Error;
}

std::string decode_all(Codec codec, const std::vector<Piece>& pieces, const std::string& file) {
  PieceDecoder d;
  std::string out, error;
  for (const Piece& p : pieces) {
    INFO("piece at " << p.begin);
    REQUIRE(decode(d, codec, p, file, out, error) == StreamDecoder::Status::End);
  }
  return out;
}

}  // namespace

TEST_CASE("pieces: zstd frames are found by their headers, skippable frames passed over", "[pieces]") {
  std::vector<std::string> parts = {text(1, 1), text(300'000, 2), text(5'000, 3), "", noise(200'000, 4)};
  std::string file, all;
  std::vector<std::pair<uint64_t, uint64_t>> want;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i % 2) file += skippable(i * 7);
    std::string f = zstd_frame(parts[i], i % 2 == 0);
    REQUIRE(ZSTD_findFrameCompressedSize(f.data(), f.size()) == f.size());
    want.emplace_back(file.size(), file.size() + f.size());
    file += f;
    all += parts[i];
  }
  file += skippable(3);
  Walk w = walk(Codec::Zstd, file);
  CHECK(w.last == PieceWalker::Found::End);
  REQUIRE(w.pieces.size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    CHECK(w.pieces[i].begin == want[i].first);
    CHECK(w.pieces[i].end == want[i].second);
  }
  CHECK(decode_all(Codec::Zstd, w.pieces, file) == all);
}

TEST_CASE("pieces: zstd stops splitting at a frame cut short, garbage, a frame too big or a hostile size",
          "[pieces]") {
  std::string a = zstd_frame(text(50'000, 5), true), b = zstd_frame(text(70'000, 6), false);
  // Cut short: the frames before it are pieces; the rest is a stream, whose decoder reports the cut.
  Walk w = walk(Codec::Zstd, a + b.substr(0, b.size() - 1));
  CHECK(w.pieces.size() == 1);
  CHECK(w.last == PieceWalker::Found::Tail);
  CHECK(w.tail == a.size());
  w = walk(Codec::Zstd, a + "garbage");
  CHECK((w.pieces.size() == 1 && w.last == PieceWalker::Found::Tail && w.tail == a.size()));
  // A skippable frame claiming 4 GiB; a block header claiming more than a block may hold.
  w = walk(Codec::Zstd, a + le(0x184D2A50, 4) + le(0xffffffff, 4) + "xx" + b);
  CHECK((w.pieces.size() == 1 && w.last == PieceWalker::Found::Tail && w.tail == a.size()));
  std::string big_block = le(0xFD2FB528, 4) + std::string("\0\0", 2) + le(1 | 2 << 1 | 200'000 << 3, 3);
  w = walk(Codec::Zstd, a + big_block + std::string(200'000, 0));
  CHECK((w.pieces.size() == 1 && w.last == PieceWalker::Found::Tail && w.tail == a.size()));
  // A frame past kMaxFrameBytes (incompressible: stored blocks) is not walked to its end.
  std::string huge = zstd_frame(noise(2 * kMaxFrameBytes, 7), false, 1);
  size_t reads = 0;
  std::string file = a + huge + b;
  PieceWalker walker(Codec::Zstd, reader(file, &reads), file.size());
  Piece p;
  CHECK(walker.next(p) == PieceWalker::Found::Piece);
  CHECK(walker.next(p) == PieceWalker::Found::Tail);
  CHECK(p.begin == a.size());
  CHECK(reads <= kMaxFrameBytes / (128 << 10) + 8);  // one read per 128 KiB block, up to the limit
  // Not zstd at all.
  w = walk(Codec::Zstd, "plain text");
  CHECK((w.pieces.empty() && w.last == PieceWalker::Found::Tail && w.tail == 0));
}

TEST_CASE("pieces: BGZF members are found by their BC field; a plain gzip member ends the split",
          "[pieces]") {
  std::string file, all;
  std::vector<std::pair<uint64_t, uint64_t>> want;
  for (unsigned i = 0; i < 6; ++i) {
    std::string part = text(i == 3 ? 0 : 65'280, 10 + i);
    // One member's BC subfield comes after another subfield, as the specification allows.
    std::string m = gzip_member(part, true,
                                i == 2 ? std::string("XY\x03\x00"
                                                     "abc",
                                                     7)
                                       : "");
    want.emplace_back(file.size(), file.size() + m.size());
    file += m;
    all += part;
  }
  Walk w = walk(Codec::Gzip, file);
  CHECK(w.last == PieceWalker::Found::End);
  REQUIRE(w.pieces.size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    CHECK(w.pieces[i].begin == want[i].first);
    CHECK(w.pieces[i].end == want[i].second);
  }
  CHECK(decode_all(Codec::Gzip, w.pieces, file) == all);

  // A plain member (cat a.bgz b.gz): its end is found only by inflating it, so the rest is one stream.
  std::string plain = gzip_member(text(1000, 20), false);
  w = walk(Codec::Gzip, file + plain + file);
  CHECK((w.pieces.size() == 6 && w.last == PieceWalker::Found::Tail && w.tail == file.size()));
  w = walk(Codec::Gzip, plain + file);
  CHECK((w.pieces.empty() && w.last == PieceWalker::Found::Tail && w.tail == 0));
  // A size past the end of the file.
  w = walk(Codec::Gzip, file.substr(0, file.size() - 1));
  CHECK((w.pieces.size() == 5 && w.last == PieceWalker::Found::Tail && w.tail == want[5].first));
  // Header fields cut short, or lying, give no size.
  std::string m = gzip_member("abc", true);
  auto size = [](const std::string& s) {
    return bgzf_member_size({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
  };
  CHECK(size(m) == m.size());
  CHECK(size(m.substr(0, 17)) == 0);
  std::string lie = m;
  lie[16] = 5;  // BSIZE 5: smaller than its own header
  lie[17] = 0;
  CHECK(size(lie) == 0);
  lie = m;
  lie[14] = 9;  // SLEN 9: the subfield runs past XLEN
  CHECK(size(lie) == 0);
}

TEST_CASE("pieces: a piece decodes alone and is checked whole", "[pieces]") {
  PieceDecoder d;
  std::string out, error;
  // A BGZF member given more bytes than it holds (a wrong BC size): the data ends early.
  std::string m = gzip_member(text(10'000, 30), true) + "tail";
  Piece p{0, m.size()};
  CHECK(decode(d, Codec::Gzip, p, m, out, error) == StreamDecoder::Status::Error);
  CHECK(error.find("ends 4 bytes before its end") != std::string::npos);
  // A bad CRC.
  m = gzip_member(text(10'000, 30), true);
  m[m.size() - 6] ^= 1;
  p = {0, m.size()};
  CHECK(decode(d, Codec::Gzip, p, m, out, error) == StreamDecoder::Status::Error);
  // Cut short.
  std::string z = zstd_frame(text(100'000, 31), true);
  p = {0, z.size() - 2};
  CHECK(decode(d, Codec::Zstd, p, z, out, error) == StreamDecoder::Status::Error);
  CHECK(error == "cut short");
  // A wrong checksum; then the same decoder goes on with a good frame.
  std::string bad = z;
  bad[bad.size() - 1] ^= 1;
  p = {0, bad.size()};
  CHECK(decode(d, Codec::Zstd, p, bad, out, error) == StreamDecoder::Status::Error);
  out.clear();
  p = {0, z.size()};
  CHECK(decode(d, Codec::Zstd, p, z, out, error) == StreamDecoder::Status::End);
  CHECK(out == text(100'000, 31));
}

TEST_CASE("pieces: xz blocks come from the streams' indexes, each decodes alone and is checked", "[pieces]") {
  std::string a = text(1'000'000, 40), b = text(100'000, 41);
  // Two streams (16 + 2 blocks of 64 KiB) with stream padding between them, as xz concatenates them.
  std::string file = xz_stream(a, 64 << 10) + std::string(8, '\0') + xz_stream(b, 64 << 10);
  XzBlocks blocks;
  std::string why;
  REQUIRE(blocks.load(reader(file), file.size(), why));
  CHECK(blocks.count() == 16 + 2);
  std::vector<Piece> pieces;
  for (Piece p; blocks.next(p);) pieces.push_back(p);
  REQUIRE(pieces.size() == 18);
  CHECK(pieces[0].begin == 12);  // after the stream header
  for (size_t i = 0; i + 1 < pieces.size(); ++i) CHECK(pieces[i].end <= pieces[i + 1].begin);
  CHECK(pieces[0].uncompressed == 64 << 10);
  CHECK(pieces[0].check == LZMA_CHECK_CRC64);
  CHECK(decode_all(Codec::Xz, pieces, file) == a + b);

  // A damaged block fails its check alone; the next decodes.
  std::string bad = file;
  size_t mid = (pieces[3].begin + pieces[3].end) / 2;
  bad[mid] ^= 0x40;
  PieceDecoder d;
  std::string out, error;
  CHECK(decode(d, Codec::Xz, pieces[3], bad, out, error) == StreamDecoder::Status::Error);
  CHECK(!error.empty());
  out.clear();
  CHECK(decode(d, Codec::Xz, pieces[4], bad, out, error) == StreamDecoder::Status::End);
  CHECK(out == a.substr(4 << 16, 64 << 10));
  // The index's sizes are checked against the block's: a block the index says is bigger fails.
  Piece lie = pieces[5];
  lie.uncompressed += 1;
  CHECK(decode(d, Codec::Xz, lie, file, out, error) == StreamDecoder::Status::Error);

  // No index to read: cut short, damaged, not .xz. One block: nothing to split.
  XzBlocks none;
  CHECK(!none.load(reader(file), file.size() - 1, why));
  std::string cut = file.substr(0, file.size() - 1);
  CHECK(!none.load(reader(cut), cut.size(), why));
  std::string broken = file;
  broken[broken.size() - 20] ^= 1;  // inside the second stream's index
  CHECK(!none.load(reader(broken), broken.size(), why));
  std::string text_file = "not xz at all, just some text of some length";
  CHECK(!none.load(reader(text_file), text_file.size(), why));
  std::string one = xz_stream(b, 1 << 20);
  XzBlocks single;
  REQUIRE(single.load(reader(one), one.size(), why));
  CHECK(single.count() == 1);
}
