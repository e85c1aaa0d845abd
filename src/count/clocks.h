// SourceClocks: one event-time clock per source, and the run's watermark made of them (issue 21).
//
// A source is a byte stream whose records come in their own order: a --listen connection, a --connect
// connection (TCP or URL), a Kafka partition, the command line's files and stdin (read one after another:
// one source). Each has its own watermark, its largest event time minus --lateness; the run's watermark is
// the minimum over the sources that are active, so a source that is behind the others holds the windows
// open instead of seeing its records dropped as late. Flink's per-split watermarks, with its idleness and
// (a bounded form of) its alignment:
// - A source joins (open marker counted) at the run's watermark as it is then: before its first record it
//   holds the windows there; its records behind it are late.
// - A source with no bytes for --idle-timeout (wall clock, checked by idle(); counted from the run's first
//   bytes at the earliest) leaves the minimum until its next record is counted; a closed one leaves for
//   good (its slot is reused).
// - --max-source-lag L: the run's watermark is never more than L behind the newest event time seen minus
//   the lateness. A source further behind than that no longer holds the windows: its records behind the
//   watermark are late. This bounds both the delay and the memory (open windows span at most lateness + L +
//   the window behind the newest record) whatever a source does. L = 0: one clock for the run, as before
//   issue 21 (the newest record decides).
// - With no source active (all closed or idle, once one joined) the newest record decides: its time minus
//   the lateness.
// - The run's watermark never goes back.
// With one source (a file, stdin, one producer) the watermark is its largest time minus the lateness, as it
// always was.
//
// Cost: one slot per open source in a flat vector; a record updates its slot in O(1); the minimum is
// recomputed (O(sources)) only when the record's source was the one holding it. No allocation per record.
// Times are in range (util/clock.h); kNoTime (int64's minimum) is "before everything".
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/clock.h"

namespace trendtop {

class SourceClocks {
 public:
  static constexpr uint32_t kNoSource = UINT32_MAX;
  enum class State : uint8_t { Free, Opening, Active, Idle };

  struct Source {
    std::string name;  // for --stats: "listen 127.0.0.1:9999 127.0.0.1:40312", "kafka tweets[3]"
    State state = State::Free;
    int64_t max_time = kNoTime;   // the largest event time of its records (counted or late)
    int64_t floor = kNoTime;      // the run's watermark when it (re)joined
    int64_t last_wall = kNoTime;  // the wall clock of its last bytes (idle())
    bool resumable = false;       // its name comes back after a restart (Kafka partition, URL): --state
    int64_t max_arrival =
        kNoTime;  // when the record that brought max_time arrived (--max-skew's stream time)
    // Its own watermark: its largest time minus the lateness, not before where it joined.
    int64_t watermark(int64_t lateness_ms) const {
      int64_t own = max_time == kNoTime ? kNoTime : max_time - lateness_ms;
      return own > floor ? own : floor;
    }
  };

  // `max_lag_ms`: --max-source-lag (0: one clock); `idle_ms`: --idle-timeout (0: sources never go idle).
  SourceClocks(int64_t lateness_ms, int64_t max_lag_ms, int64_t idle_ms);

  // A slot for a new source (at read time); it takes part once joined() (in counting order). `now` is its
  // first activity for idle().
  uint32_t open(std::string name, bool resumable, int64_t now_ms);
  // The source's open marker is counted: it joins at the watermark (with its saved largest time, if any).
  void joined(uint32_t id);
  // Its close marker is counted: it leaves for good and its slot is free.
  void closed(uint32_t id);
  // Bytes came from it (read time).
  void touched(uint32_t id, int64_t now_ms) {
    if (id < sources_.size()) sources_[id].last_wall = now_ms;
    if (started_ == kNoTime) started_ = now_ms;
  }
  // A record at event time t from it (counting order), arrived at `arrival_ms`. A source that was idle is
  // active again; one that never joined (the default source, slot 0) joins now.
  void saw(uint32_t id, int64_t t, int64_t arrival_ms = kNoTime);
  // The run's watermark, after the last saw(), joined(), closed() or idle(); kNoTime before any.
  int64_t watermark();
  // Sources quiet for the idle timeout at `now` leave the minimum. True when one did.
  bool idle(int64_t now_ms);
  // When idle() next has something to do (kNoTime: never).
  int64_t next_idle() const;
  // The newest event time seen from any source, kNoTime before any.
  int64_t max_time() const { return max_time_; }

  // --state: the run's watermark, the newest time, and the largest times of the resumable sources, by
  // name. A resumed source (same name) starts from its saved largest time.
  int64_t saved_watermark() const { return watermark_; }
  void restore(int64_t watermark, int64_t max_time) {
    watermark_ = watermark;
    max_time_ = max_time;
  }
  std::vector<std::pair<std::string, int64_t>> resumable() const;
  void restore_source(std::string name, int64_t max_time);

  const std::vector<Source>& sources() const { return sources_; }
  size_t open_count() const;
  int64_t lateness_ms() const { return lateness_ms_; }

 private:
  void recompute();

  int64_t lateness_ms_, max_lag_ms_, idle_ms_;
  std::vector<Source> sources_;  // slot 0: the default source (lines given without a source)
  std::vector<uint32_t> free_;
  std::vector<std::pair<std::string, int64_t>> saved_;  // restore_source(), until the source opens
  int64_t watermark_ = kNoTime;                         // the run's, never going back
  // The first bytes of the run: a source's idle timeout counts from there at the earliest, so that sources
  // opened together (a topic's partitions, producers that connect before sending) do not go idle while
  // the run waits for its first records (a consumer's start can take seconds).
  int64_t started_ = kNoTime;
  int64_t max_time_ = kNoTime;
  int64_t min_ = kNoTime;  // the minimum over active sources as last computed (kNoTime: none or before all)
  bool any_active_ = false;
  bool joined_ = false;  // a source joined this run
  bool dirty_ = false;
};

}  // namespace trendtop
