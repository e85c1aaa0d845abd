// A LineSink for tests that only look at the lines: line() is theirs to write; lines_from() hands each
// framed line to it, bytes are summed, and the rest (clocks, output, state) does nothing. Shared by
// unit_url.cpp and the url_feed fuzz target.
#pragma once
#include <cstdint>
#include <vector>

#include "input/framer.h"
#include "input/line_sink.h"

namespace trendtop::testing {

struct LineSinkStub : LineSink {
  std::vector<SourceOffset> offs;
  uint64_t bytes = 0;

  void lines_from(Framer& f, int64_t now, uint64_t& lines) override {
    Line l;
    while (f.next(l)) line(l, now), ++lines;
  }
  void count_bytes(uint64_t n) override { bytes += n; }
  void tick(int64_t) override {}
  int64_t next_deadline() const override { return -1; }
  bool done() const override { return false; }
  void flush() override {}
  void sync() override {}
  int parsed_fd() const override { return -1; }
  void clear_parsed() const override {}
  std::vector<SourceOffset>& offsets() override { return offs; }
};

}  // namespace trendtop::testing
