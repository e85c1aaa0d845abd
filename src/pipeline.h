// Pipeline: the stages after framing, for one run: extract -> window -> top-k -> sink, with the stats.
// Sources push lines in with their arrival time; the wall clock is pushed in with tick(). No I/O but the
// Output it is given, no clock of its own: the caller decides what "now" is, so tests can fake it.
//
// Wall-clock duties, all driven by tick(): closing arrival-time windows on time; --idle-timeout (in event
// time a quiet stream's watermark advances with the wall clock once no record came for that long);
// --emit every=DUR (the running top-k of the open window, marked partial).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config.h"
#include "extract.h"
#include "framer.h"
#include "output.h"
#include "sink.h"
#include "state.h"
#include "stats.h"
#include "topk.h"
#include "window.h"

namespace trendtop {

class Pipeline {
 public:
  // `idle_timeout_ms` is the resolved --idle-timeout (0: off).
  Pipeline(const Config& config, Output& output, int64_t start_ms, int64_t idle_timeout_ms = 0);

  void line(const Line& line, int64_t arrival_ms);
  void count_bytes(uint64_t n) { stats_.bytes += n; }
  // The wall clock moved.
  void tick(int64_t now_ms);
  // End of input: emits every open window as final.
  void finish(int64_t now_ms);
  // Interrupted (a signal): prints the open windows marked partial, leaves them open. Returns how many open
  // windows could not be printed because the format cannot mark them (TSV/CSV without a final column).
  uint64_t interrupt(int64_t now_ms);

  // True once --intervals windows were emitted or the output's reader went away: stop reading.
  bool done() const { return done_; }
  // The next wall-clock time tick() has work to do, Windower::kNone if none.
  int64_t next_deadline() const;
  // Writes what the sinks produced; call after a batch of lines.
  Output::Status flush();

  // --state: everything needed to continue. load() refuses a state written with other settings.
  void save(StateWriter& out) const;
  bool load(StateReader& in, std::string& error);

  const Stats& stats() const { return stats_; }

 private:
  bool emit(const ClosedWindow& w, bool final);
  bool blank(std::string_view text) const;

  const Config& config_;
  Output& output_;
  TimeMode time_;  // Auto until the first tweet decides
  Extractor extractor_;
  Windower windower_;
  std::unique_ptr<Sink> sink_;
  Windower::Emit emit_final_, emit_partial_;
  Record record_;
  std::vector<RankedKey> top_;
  Stats stats_;
  int64_t idle_timeout_ms_;
  int64_t last_record_wall_ = Windower::kNone;  // arrival of the last tweet, for --idle-timeout
  int64_t next_partial_ = Windower::kNone;      // next --emit every=DUR output
  bool done_ = false;
  bool begun_ = false;
};

}  // namespace trendtop
