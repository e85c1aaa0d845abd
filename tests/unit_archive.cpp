#include <catch2/catch.hpp>

#include <fcntl.h>
#include <lzma.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
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

namespace {

// Sanitizer runtimes need descriptors of their own (UBSan's vptr check reads memory through a pipe, and
// reports a false "invalid vptr" when it cannot make one): with none left, they fail, not the code under
// test.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(undefined_behavior_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// Takes every free descriptor (under a soft limit lowered for the test) until released: the process has run
// out, as under a low `ulimit -n`.
struct NoDescriptors {
  rlimit saved{};
  std::vector<int> taken;
  NoDescriptors() {
    REQUIRE(getrlimit(RLIMIT_NOFILE, &saved) == 0);
    rlimit low = saved;
    low.rlim_cur = std::min<rlim_t>(saved.rlim_cur, 256);
    REQUIRE(setrlimit(RLIMIT_NOFILE, &low) == 0);
  }
  void take() {
    for (int fd; (fd = dup(STDERR_FILENO)) >= 0;) taken.push_back(fd);
    REQUIRE(errno == EMFILE);
  }
  void release() {
    for (int fd : taken) close(fd);
    taken.clear();
  }
  ~NoDescriptors() {
    release();
    setrlimit(RLIMIT_NOFILE, &saved);
  }
};

}  // namespace

TEST_CASE("archive: out of descriptors, inputs opened ahead wait for the reader's instead of failing",
          "[archive]") {
  // A FIFO first: the planner opens it and waits for the reader's first read to tell its kind, so the
  // descriptors can all be taken while only the FIFO is open. The files and the directory after it must
  // then wait for the FIFO's descriptor to come back, not fail with EMFILE (which they did: the planner
  // opened ahead and reported its own look-ahead's failure as the input's).
  if (kSanitized) {
    WARN("skipped in a sanitizer build: its runtime needs descriptors (archive_fd_limit.sh runs there)");
    return;
  }
  TempDir dir;
  std::string fifo = (dir.path / "fifo").string();
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  std::vector<std::string> paths{fifo};
  std::string expect = "{\"n\":\"fifo\"}\n";
  std::filesystem::create_directory(dir.path / "sub");
  for (int i = 0; i < 10; ++i) {
    std::string p = (dir.path / (i < 5 ? "" : "sub") / ("f" + std::to_string(i))).string();
    std::ofstream(p) << "{\"n\":" << i << "}\n";
    expect += "{\"n\":" + std::to_string(i) + "}\n";
    if (i < 5) paths.push_back(p);
  }
  paths.push_back((dir.path / "sub").string());
  int writer = open(fifo.c_str(), O_RDWR | O_CLOEXEC);  // so that the planner's open does not block
  REQUIRE(writer >= 0);
  NoDescriptors none;
  InputFiles in(paths, 1);
  std::string error, all;
  REQUIRE(in.next(error) == InputFiles::Next::Opened);
  REQUIRE(write(writer, expect.data(), 13) == 13);
  close(writer);
  none.take();
  size_t failed = 0;
  char buf[4096];
  for (bool first = true;; first = false) {
    if (!first) {
      InputFiles::Next n = in.next(error);
      if (n == InputFiles::Next::End) break;
      if (n == InputFiles::Next::Failed) {
        UNSCOPED_INFO(error);
        ++failed;
        continue;
      }
    }
    for (;;) {
      long got = in.read(buf, error);
      if (got > 0) all.append(buf, static_cast<size_t>(got));
      if (got == 0 || got == -1 || in.ended()) break;
    }
  }
  none.release();
  CHECK(failed == 0);
  CHECK(all == expect);
}

TEST_CASE("archive: out of descriptors with nothing open, the input is an error and the run goes on",
          "[archive]") {
  if (kSanitized) {
    WARN("skipped in a sanitizer build: its runtime needs descriptors");
    return;
  }
  TempDir dir;
  std::vector<std::string> paths;
  for (int i = 0; i < 3; ++i) {
    paths.push_back((dir.path / ("f" + std::to_string(i))).string());
    std::ofstream(paths.back()) << "{}\n";
  }
  NoDescriptors none;
  none.take();
  InputFiles in(paths, 1);
  std::string error;
  for (int i = 0; i < 3; ++i) {
    REQUIRE(in.next(error) == InputFiles::Next::Failed);
    CHECK(error == "cannot open '" + paths[i] + "': Too many open files");
  }
  CHECK(in.next(error) == InputFiles::Next::End);
}
