#include <catch2/catch.hpp>

#include <unistd.h>

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
