// Pipeline: the stages after framing, for one run: extract -> window -> top-k -> sink, with the stats.
// Sources push lines in with their arrival time; the wall clock is pushed in with tick(). No I/O but the
// Output it is given, no clock of its own: the caller decides what "now" is.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "config.h"
#include "extract.h"
#include "framer.h"
#include "output.h"
#include "sink.h"
#include "stats.h"
#include "topk.h"
#include "window.h"

namespace trendtop {

class Pipeline {
 public:
  Pipeline(const Config& config, Output& output, int64_t start_ms);

  void line(const Line& line, int64_t arrival_ms);
  // The wall clock moved (arrival time: closes windows on time).
  void tick(int64_t now_ms);
  // End of input: emits what is still open.
  void finish(int64_t now_ms);

  // True once --intervals windows were emitted or the output's reader went away: stop reading.
  bool done() const { return done_; }
  // When the next window closes on the wall clock (arrival time), else Windower::kNone.
  int64_t next_deadline() const;
  // Writes what the sinks produced; call after a batch of lines.
  Output::Status flush();

  const Stats& stats() const { return stats_; }

 private:
  bool emit(const ClosedWindow& w);
  bool blank(std::string_view text) const;

  const Config& config_;
  Output& output_;
  TimeMode time_;  // Auto until the first tweet decides
  Extractor extractor_;
  Windower windower_;
  std::unique_ptr<Sink> sink_;
  Windower::Emit emit_;
  Record record_;
  std::vector<RankedKey> top_;
  Stats stats_;
  bool done_ = false;
  bool begun_ = false;
};

}  // namespace trendtop
