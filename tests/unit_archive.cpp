#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
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
