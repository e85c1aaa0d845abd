// UrlFeed (src/input/url_feed.h): what a server sends — WebSocket messages in arbitrary pieces, HTTP bodies,
// server-sent events — over a sequence of connections that start, deliver, break off and resume, as the
// transport would report them. Invariants: every byte is counted once (stats and sink agree); every line
// handed on is one line (no '\n', within --max-line, its padding readable); the source's line counter is
// the number of lines handed on; a Jetstream event (top-level time_us) counted on one connection is never
// counted again on a later one when it falls in the span that connection's cursor replays.
#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "../line_sink_stub.h"
#include "check.h"
#include "input/reader.h"
#include "input/url_feed.h"
#include "util/hash.h"

using namespace trendtop;

namespace {

struct Sink : testing::LineSinkStub {
  size_t max_line = 0;
  uint64_t lines = 0;
  UrlFeed::Mode mode = UrlFeed::Mode::Lines;
  std::optional<int64_t> cursor;
  int64_t replay_max = -1;
  std::set<std::pair<int64_t, uint64_t>> before,
      now;  // Jetstream events counted on earlier / this connection

  void line(const Line& l, int64_t) override {
    ++lines;
    if (l.kind == Line::Kind::Oversized) {
      FUZZ_CHECK(l.text.empty());
      return;
    }
    FUZZ_CHECK(l.text.size() <= max_line);
    FUZZ_CHECK(l.text.find('\n') == std::string_view::npos);
    volatile char c = 0;
    for (size_t i = 0; i < Framer::kPadding; ++i) c = c + l.text.data()[l.text.size() + i];
    if (mode != UrlFeed::Mode::WebSocket) return;
    if (std::optional<int64_t> t = top_level_time_us(l.text)) {
      std::pair e{*t, hash_key(l.text)};
      if (cursor && *t >= *cursor && *t <= replay_max) FUZZ_CHECK(!before.count(e));
      now.insert(e);
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  Sink sink;
  sink.max_line = fdp.ConsumeIntegralInRange<size_t>(0, 4096);
  UrlFeed feed("wss://fuzz/", sink.max_line, sink);
  SourceStats stats;
  uint64_t given = 0;
  bool open = false;
  while (fdp.remaining_bytes() > 0) {
    switch (fdp.ConsumeIntegralInRange(0, 5)) {
      case 0: {  // a connection starts
        if (open) feed.end(0, stats);
        sink.mode = static_cast<UrlFeed::Mode>(fdp.ConsumeIntegralInRange(0, 2));
        sink.cursor = feed.cursor();
        sink.replay_max = sink.offs.empty() ? -1 : sink.offs[0].next;
        sink.before.insert(sink.now.begin(), sink.now.end());
        sink.now.clear();
        feed.begin(sink.mode);
        open = true;
        break;
      }
      case 5:  // the end of a WebSocket message
        if (open && sink.mode == UrlFeed::Mode::WebSocket) feed.message_end(0, stats);
        break;
      case 4:  // the connection ends
        if (open) feed.end(0, stats);
        open = false;
        break;
      default: {  // bytes, mostly Jetstream-like lines so that cursors and replays happen
        if (!open) break;
        std::string bytes = fdp.ConsumeRandomLengthString(8192);
        given += bytes.size();
        feed.data(bytes, 0, stats);
        break;
      }
    }
    FUZZ_CHECK(stats.bytes == given && sink.bytes == given);
    FUZZ_CHECK(stats.lines == sink.lines);
    if (std::optional<int64_t> c = feed.cursor()) FUZZ_CHECK(*c >= 0 && *c <= sink.offs.at(0).next);
  }
  if (open) feed.end(0, stats);
  FUZZ_CHECK(stats.lines == sink.lines);
  return 0;
}
