#include <catch2/catch.hpp>

#include <lzma.h>
#include <unistd.h>
#include <zstd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "input/archive.h"

using namespace trendtop;

namespace {

// A temporary directory, removed with what it holds.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string t = (std::filesystem::temp_directory_path() / "trendtop-unit-archive-XXXXXX").string();
    REQUIRE(mkdtemp(t.data()) != nullptr);
    path = t;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

// Reads every input to its end; returns the bytes, in order.
std::string read_all(InputFiles& in, size_t& failed) {
  std::string all, error;
  char buf[4096];
  for (;;) {
    InputFiles::Next n = in.next(error);
    if (n == InputFiles::Next::End) return all;
    if (n == InputFiles::Next::Failed) {
      ++failed;
      continue;
    }
    for (;;) {
      long got = in.read(buf, error);
      if (got > 0) all.append(buf, static_cast<size_t>(got));
      if (got == 0 || got == -1 || in.ended()) break;
    }
  }
}

// Reads every input to its end, going on after errors as the reader does; the errors in `errors`. With
// `head_start`, waits that long before reading each input, so the decoding threads run ahead as far as the
// pool lets them. Ten seconds without a byte (read() waits 100 ms at a time) is a stall: "stalled" in errors.
std::string read_on(InputFiles& in, std::vector<std::string>& errors,
                    std::chrono::milliseconds head_start = std::chrono::milliseconds(0)) {
  std::string all, error;
  char buf[5000];
  for (;;) {
    InputFiles::Next n = in.next(error);
    if (n == InputFiles::Next::End) return all;
    if (n == InputFiles::Next::Failed) {
      errors.push_back(error);
      continue;
    }
    std::this_thread::sleep_for(head_start);
    for (int idle = 0;;) {
      long got = in.read(buf, error);
      if (got > 0) all.append(buf, static_cast<size_t>(got));
      if (got == -1) errors.push_back(error);
      if (got == 0 || in.ended()) break;
      idle = got == InputFiles::kAgain ? idle + 1 : 0;
      if (idle == 100) {
        errors.push_back("stalled");
        return all;
      }
    }
  }
}

// A frame with its checksum, as the zstd tool writes it (without one, damage may decode to other bytes).
std::string zstd_frame(const std::string& in) {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
  std::string out(ZSTD_compressBound(in.size()), 0);
  size_t n = ZSTD_compress2(c, out.data(), out.size(), in.data(), in.size());
  ZSTD_freeCCtx(c);
  REQUIRE(!ZSTD_isError(n));
  out.resize(n);
  return out;
}

// One .xz stream of one block.
std::string xz_stream(const std::string& in) {
  std::string out(lzma_stream_buffer_bound(in.size()), 0);
  size_t n = 0;
  REQUIRE(lzma_easy_buffer_encode(0, LZMA_CHECK_CRC64, nullptr, reinterpret_cast<const uint8_t*>(in.data()),
                                  in.size(), reinterpret_cast<uint8_t*>(out.data()), &n,
                                  out.size()) == LZMA_OK);
  out.resize(n);
  return out;
}

}  // namespace

TEST_CASE("archive: many small plain files are read in order, each once", "[archive]") {
  // Empty and one-line files are done with as soon as they are opened: the reader leaves them while the
  // planner may still be queueing the next (a use after free the sanitizers caught once).
  TempDir dir;
  std::vector<std::string> paths;
  std::string expect;
  for (int i = 0; i < 400; ++i) {
    std::string p = (dir.path / ("f" + std::to_string(1000 + i))).string();
    std::ofstream f(p);
    if (i % 3 != 0) {
      std::string line = "{\"n\":" + std::to_string(i) + "}\n";
      f << line;
      expect += line;
    }
    paths.push_back(p);
  }
  for (unsigned threads : {1u, 2u}) {
    for (int round = 0; round < 10; ++round) {
      InputFiles in(paths, threads);
      size_t failed = 0;
      CHECK(read_all(in, failed) == expect);
      CHECK(failed == 0);
    }
  }
  // The directory itself: its files in name order.
  InputFiles in({dir.path.string()}, 2);
  size_t failed = 0;
  CHECK(read_all(in, failed) == expect);
}

TEST_CASE(
    "archive: a file of many zstd frames reads back whole on any number of threads; a corrupt frame is "
    "reported at its offset, and only it is lost",
    "[archive]") {
  // Small frames share a job (kGroupBytes): the corrupt ones' output is taken back from among the others',
  // two in one job (17, 18), and one whose output fills chunks (a 1.5 MiB frame, 30).
  TempDir dir;
  std::string plain, packed;
  std::vector<uint64_t> bad_at;
  for (int i = 0; i < 40; ++i) {
    std::string part;
    for (int k = 0; k < (i % 10 == 0 ? 60'000 : 2000); ++k)
      part += "{\"frame\":" + std::to_string(i) + ",\"k\":" + std::to_string(k) + "}\n";
    std::string f = zstd_frame(part);
    if (i == 17 || i == 18 || i == 30) {
      bad_at.push_back(packed.size());
      f[f.size() / 2] ^= 0x21;
    } else {
      plain += part;
    }
    packed += f;
  }
  std::string path = (dir.path / "frames.zst").string();
  std::ofstream(path, std::ios::binary) << packed;
  std::string after = (dir.path / "after").string();
  std::ofstream(after) << "{\"after\":1}\n";
  for (unsigned threads : {1u, 2u, 3u}) {
    for (int round = 0; round < 3; ++round) {
      InputFiles in({path, after}, threads);
      std::vector<std::string> errors;
      CHECK(read_on(in, errors) == plain + "{\"after\":1}\n");
      REQUIRE(errors.size() == 3);
      for (size_t i = 0; i < 3; ++i)
        CHECK(
            errors[i].starts_with(path + ": corrupt zstd frame at byte " + std::to_string(bad_at[i]) + " ("));
    }
  }
}

TEST_CASE("archive: pieces of several MiB each are held whole on any number of threads without a deadlock",
          "[archive]") {
  // A piece's output waits in the pool until the piece is checked. Here the first piece (an xz block of
  // letters in random order, slow to decode) is the one being read while the other threads race through
  // the next pieces (repetitive text, fast): the first must still find the chunks to finish in. It once
  // waited for chunks the pieces after it held, while the reader waited for its output.
  TempDir dir;
  std::string plain, packed;
  std::mt19937 rng(9);
  for (int i = 0; i < 5; ++i) {
    std::string part;
    while (part.size() < (15u << 19)) {
      std::string line = "{\"piece\":" + std::to_string(i) + ",\"text\":\"";
      for (int k = 0; k < 100; ++k) line += i == 0 ? static_cast<char>('a' + rng() % 26) : 'x';
      part += line + "\"}\n";
    }
    plain += part;
    packed += xz_stream(part);
  }
  std::string path = (dir.path / "big.xz").string();
  std::ofstream(path, std::ios::binary) << packed;
  for (unsigned threads : {1u, 2u, 3u}) {
    InputFiles in({path}, threads);
    std::vector<std::string> errors;
    CHECK(read_on(in, errors) == plain);
    CHECK(errors.empty());
  }
}
