// Framer: arbitrary bytes in arbitrary read sizes, against a reference that splits the whole input at once.
// Every byte is accounted for: each '\n'-terminated piece (and the unfinished tail, at finish) comes out as
// exactly one line, verbatim (less one trailing '\r'), or as Oversized when longer than max_line; lines
// never hold '\n'; the padding after a line is readable; the buffer stays within max_line plus one read.
#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "check.h"
#include "input/framer.h"

using namespace trendtop;

namespace {

struct Expected {
  bool oversized;
  std::string_view text;
};

std::vector<Expected> reference(std::string_view in, size_t max_line) {
  std::vector<Expected> out;
  while (!in.empty()) {
    size_t nl = in.find('\n');
    std::string_view piece = in.substr(0, nl);
    in.remove_prefix(nl == std::string_view::npos ? in.size() : nl + 1);
    if (!piece.empty() && piece.back() == '\r') piece.remove_suffix(1);
    out.push_back(piece.size() > max_line ? Expected{true, {}} : Expected{false, piece});
  }
  return out;
}

void check_line(const Line& line, const std::vector<Expected>& expect, size_t& at, size_t max_line) {
  FUZZ_CHECK(at < expect.size());
  const Expected& e = expect[at++];
  FUZZ_CHECK((line.kind == Line::Kind::Oversized) == e.oversized);
  if (e.oversized) {
    FUZZ_CHECK(line.text.empty());
    return;
  }
  FUZZ_CHECK(line.text == e.text);
  FUZZ_CHECK(line.text.size() <= max_line);
  FUZZ_CHECK(line.text.find('\n') == std::string_view::npos);
  // The parser reads up to kPadding bytes past the end: they must belong to the buffer (ASan checks).
  volatile char sink = 0;
  for (size_t i = 0; i < Framer::kPadding; ++i) sink = sink + line.text.data()[line.text.size() + i];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  size_t max_line = fdp.ConsumeIntegralInRange<size_t>(0, 2048);
  size_t read_size = fdp.ConsumeIntegralInRange<size_t>(1, 16384);
  fuzz::Rng rng{fdp.ConsumeIntegral<uint64_t>() | 1};
  std::string input = fdp.ConsumeRemainingBytesAsString();

  std::vector<Expected> expect = reference(input, max_line);
  size_t at = 0;
  size_t bound = std::max({read_size, size_t{4096}, max_line + 1 + read_size});
  Framer framer(max_line, read_size);
  std::vector<char> spare;  // what swap_buffer trades with, as the parsing threads' recycled buffers
  std::vector<Line> round;
  Line line;
  for (size_t pos = 0; pos < input.size();) {
    std::span<char> area = framer.write_area();
    FUZZ_CHECK(area.size() >= read_size);
    size_t capacity = static_cast<size_t>(area.data() - framer.data()) + area.size();
    FUZZ_CHECK(capacity <= bound);
    // Mostly short reads, sometimes a whole area, now and then nothing.
    size_t n = rng.next() % 4 == 0 ? area.size() : rng.range(0, std::min<size_t>(area.size(), 64));
    n = std::min(n, input.size() - pos);
    std::memcpy(area.data(), input.data() + pos, n);
    framer.commit(n);
    pos += n;
    round.clear();
    while (framer.next(line)) {
      check_line(line, expect, at, max_line);
      round.push_back(line);
    }
    if (!round.empty() && rng.next() % 3 == 0) {
      if (rng.next() % 2) spare.clear();
      framer.swap_buffer(spare);
      // The lines handed out live on in the buffer given away.
      for (const Line& l : round) {
        if (l.kind == Line::Kind::Text) {
          FUZZ_CHECK(l.text.data() >= spare.data() &&
                     l.text.data() + l.text.size() <= spare.data() + spare.size());
        }
      }
      size_t check = at - round.size();
      for (const Line& l : round) check_line(l, expect, check, max_line);
    }
  }
  if (framer.finish(line)) check_line(line, expect, at, max_line);
  FUZZ_CHECK(at == expect.size());
  FUZZ_CHECK(framer.buffered() == 0);
  // Ready for a new stream.
  FUZZ_CHECK(!framer.next(line) && !framer.finish(line));
  return 0;
}
