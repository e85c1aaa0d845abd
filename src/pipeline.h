// Pipeline: the stages after framing, for one run: extract -> window -> top-k -> sink, with the stats.
// Sources push lines in with their arrival time; the wall clock is pushed in with tick(). No I/O but the
// Output it is given, no clock of its own: the caller decides what "now" is, so tests can fake it.
//
// Wall-clock duties, all driven by tick(): closing arrival-time windows on time; --idle-timeout (in event
// time a quiet stream's watermark advances with the wall clock once no record came for that long);
// --emit every=DUR (the running top-k of the open window, marked partial).
//
// With --threads N > 1, lines are parsed on N threads (ExtractPool) and counted here in input order, so
// the output is the serial one whatever N; the wall-clock duties wait for parsing to catch up only when
// they have something to do.
#pragma once
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "config.h"
#include "count/clocks.h"
#include "count/rank.h"
#include "count/topk.h"
#include "count/window.h"
#include "extract/extract.h"
#include "extract/parallel.h"
#include "input/framer.h"
#include "input/line_sink.h"
#include "output/output.h"
#include "output/partial.h"
#include "output/sink.h"
#include "state.h"
#include "util/stats.h"

namespace trendtop {

// A record --max-skew holds (pipeline.cpp): a jump ahead of its source's stream, waiting for its verdict.
struct HeldJump {
  int64_t time = 0;
  int64_t arrival = kNoTime;
  // Its source; once that closed (or after a restart), kNoSource and the source's name: the next record of
  // a source of that name decides it (a URL or --connect reconnection, a Kafka partition, the files of the
  // next --state run), of any source when the name is unknown (a state of version 7 or older).
  uint32_t source = SourceClocks::kNoSource;
  std::string name;
  std::string bytes;           // the keys, back to back
  std::vector<uint32_t> ends;  // where each key ends in bytes
  std::vector<uint64_t> hashes;
};

class Pipeline : public LineSink {
 public:
  // `idle_timeout_ms` is the resolved --idle-timeout (0: off). Event time: every source has its own clock
  // and the run's watermark is made of them (count/clocks.h); the sources come from the input stage
  // (open_source, from_source, close_source), and markers for their opening and closing travel with the
  // lines, so the watermark is the same whatever --threads.
  Pipeline(const Config& config, Output& output, int64_t start_ms, int64_t idle_timeout_ms = 0);
  ~Pipeline() override;

  // LineSink: what the input stage calls.
  void line(const Line& line, int64_t arrival_ms) override;
  // Every complete line the framer holds, as line() would take them (adding to `lines` for each). With
  // parsing threads the framer's buffer itself goes to them: no copy.
  void lines_from(Framer& framer, int64_t arrival_ms, uint64_t& lines) override;
  void count_bytes(uint64_t n) override { stats_.bytes += n; }
  // With parsing threads, regular files are read and framed on them, a range at a time.
  bool reads_ranges() const override { return pool_ != nullptr; }
  void range(std::shared_ptr<RangeFile> file, uint64_t begin, uint64_t end, int64_t arrival_ms) override;
  // A file read by ranges failed to read (said on stderr when its lines before the error were counted).
  bool input_failed() const { return input_failed_; }
  uint32_t open_source(std::string name, bool resumable, int64_t now_ms) override;
  void from_source(uint32_t id, int64_t now_ms) override {
    current_ = id;
    current_wall_ = now_ms;
    clocks_.touched(id, now_ms);
  }
  void close_source(uint32_t id) override;
  // The sources' clocks (--stats, the live view), in event time (else null).
  const SourceClocks* clocks() const { return time_ == TimeMode::Event ? &clocks_ : nullptr; }
  // The wall clock moved.
  void tick(int64_t now_ms) override;
  // End of input: emits every open window as final.
  void finish(int64_t now_ms);
  // Interrupted (a signal): prints the open windows marked partial, leaves them open. Returns how many open
  // windows could not be printed because the format cannot mark them (TSV/CSV without a final column).
  // After a long run of windows was cut short (stop_on), nothing more is printed.
  uint64_t interrupt(int64_t now_ms);
  // The stop signal's flag: a long run of windows (years of empty ones, with --max-skew 0) ends as soon as
  // it is set rather than when the run is done (Windower::stop_on).
  void stop_on(const volatile std::sig_atomic_t* flag) { windower_.stop_on(flag); }
  // The run is over: --output partial writes its end line (and its header if no window came).
  void end_output();
  // Prints a window assembled elsewhere (trendtop merge) as a closed one: ranked, annotated, formatted.
  bool print_window(const ClosedWindow& w) { return emit(w, true); }

  // True once --intervals windows were emitted or the output's reader went away: stop reading.
  bool done() const override { return done_; }
  // The next wall-clock time tick() has work to do, kNoTime if none.
  int64_t next_deadline() const override;
  // Hands buffered lines to the parsing threads, counts what they finished, and writes what the sinks
  // produced; call after a batch of lines.
  void flush() override;
  // Waits until every line given so far is counted (with --threads; a no-op without).
  void sync() override;
  // With parsing threads: an fd that becomes readable when parsed lines are ready (-1 without threads).
  int parsed_fd() const override { return pool_ ? pool_->wake_fd() : -1; }
  void clear_parsed() const override {
    if (pool_) pool_->clear_wake();
  }

  // --state: everything needed to continue (after sync()). load() refuses a state written with other
  // settings.
  void save(StateWriter& out) const;
  bool load(StateReader& in, std::string& error);
  // The identity of this run's partial stream: a random run id, kept in the --state so that a resumed run
  // continues it, and the segment (0, then one more at each resume). A run that starts over from a state
  // it emptied (--flush) keeps them too.
  const std::string& run_id() const { return run_id_; }
  uint64_t segment() const { return segment_; }
  void set_identity(std::string run_id, uint64_t segment) {
    run_id_ = std::move(run_id);
    segment_ = segment;
  }
  // The warning said once when an approximate window goes to TSV or CSV, instead of this run's own
  // ("a window passed --max-keys N"): merge's, naming the limits of the runs that wrote its inputs.
  void set_approximate_warning(std::string text) { approximate_warning_ = std::move(text); }
  bool warned_approximate() const { return warned_approximate_; }

  // Every run's counters: with --state they carry over from the runs before.
  const Stats& stats() const { return stats_; }
  // This run's: what it read and did (a held jump restored from the state is this run's line, decided now).
  Stats this_run() const { return stats_.since(resumed_); }
  // Lines that were all unreadable (malformed, or JSON of no known format) until now: what to try. How many
  // lines must be read before saying so (and at the end of a run, fewer do).
  static constexpr uint64_t kHintLines = 5;
  // Whether every line this run read so far that was not blank or oversized was unreadable (none counted,
  // filtered, late or skewed); and how many such lines there were.
  uint64_t unreadable_only() const;
  // One line for stderr: what the lines looked like (the first one, cut short) and what to try.
  // at_end: the run read no more lines than these.
  std::string unreadable_hint(bool at_end) const;

  // Every window handed to the sink is shown to this observer too, after the sink (the live view, the
  // chart). The result's keys live until the next window.
  using WindowObserver = std::function<void(const WindowResult&)>;
  void observe(WindowObserver observer) { observer_ = std::move(observer); }
  // The running top-k of the window that closes next, ranked as it would be printed, given to `visit`
  // (nothing is printed or remembered). False when no window is open.
  bool peek(const WindowObserver& visit);
  // Log sources' positions (Kafka), part of the state: updated by the source as it hands records in.
  std::vector<SourceOffset>& offsets() override { return offsets_; }
  // Batches handed to parsing threads and not yet counted (bounded; for tests).
  size_t batches_in_flight() const { return pool_ ? pool_->in_flight() : 0; }
  size_t max_batches_in_flight() const { return pool_ ? pool_->max_in_flight() : 0; }

 private:
  bool emit(const ClosedWindow& w, bool final);
  // The window ranked (with these counts) is the previous one from now on.
  void closed(const ClosedWindow& w, const CountMap& ranked);
  // Ranks a window into top_ (spellings too); returns the counts ranked and sets their distinct keys.
  const CountMap& rank(const ClosedWindow& w, size_t& distinct);
  // Counts one extracted line: the accounting, then the windower.
  void apply(ExtractedLine::Kind kind, std::optional<int64_t> time, std::span<const std::string_view> keys,
             std::span<const uint64_t> hashes, int64_t arrival_ms, uint32_t source, int64_t wall_ms);
  // A source's open or close marker, in input order.
  void mark(ExtractedLine::Kind kind, uint32_t source);
  // When a line handed in at `arrival_ms` was read: the wall clock from_source() gave (Kafka hands in log
  // times), else its arrival.
  int64_t wall_of(int64_t arrival_ms) const {
    return log_time_ && current_wall_ != kNoTime ? current_wall_ : arrival_ms;
  }
  // Event time: emits what the run's watermark (the sources' clocks) closed.
  void advance_event();
  void apply_batch(const Batch& b);
  // Event time: a counted tweet into the windows (or late).
  void count_event(int64_t time, std::span<const std::string_view> keys, std::span<const uint64_t> hashes,
                   int64_t arrival_ms, uint32_t source);
  // --max-skew: keeps a record that jumped ahead of its source's stream until that source's next record
  // confirms (count) or contradicts it, or (live) the stream catches up with it, or the source ends.
  void hold(int64_t time, std::span<const std::string_view> keys, std::span<const uint64_t> hashes,
            int64_t arrival_ms, uint32_t source);
  // Decides held_[i]: counted, or dropped as skewed.
  void release_held(size_t i, bool count);
  // Whether a record of `source` decides held_[i].
  bool decides(const HeldJump& h, uint32_t source) const;
  // Every held jump counted (the end of the input: nothing came to contradict them), the oldest first.
  void release_all_held();
  // How far ahead of the stream a record may be before it is held: past the lateness and three slides, it
  // would close windows that the stream's next records still belong in. At least a minute (or the window,
  // if shorter): closer than that is ordinary disorder (producers' clocks, Jetstream's steps back of a
  // second or two), which holding would turn into skewed records with sub-second slides.
  int64_t jump_ms() const {
    return config_.lateness_ms + std::max(3 * config_.slide_ms, std::min<int64_t>(config_.window_ms, 60'000));
  }
  // The stream a record of `source` belongs to, as its newest event time and when that arrived: the
  // source's own clock (issue 21: one clock per source; a lagging source's record is judged against its
  // own records, not the leading one's), or the run's newest record with one clock (--max-source-lag 0),
  // before the source's first record, and for a jump restored from a state (kNoSource).
  std::pair<int64_t, int64_t> stream_clock(uint32_t source) const;
  // Where that stream is at wall time `now`: its latest event time, and in a live run (an idle timeout)
  // moved on by the wall time since the record that brought it arrived. kNoTime before any record.
  int64_t stream_time(uint32_t source, int64_t now_ms) const;
  // Live: when a held record's stream will have caught up with it (kNoTime: never); held_due(): the first.
  int64_t held_due(const HeldJump& h) const;
  int64_t held_due() const;
  // After a batch was submitted: count what is ready, and wait while too many are out.
  void submitted();
  // Counts parsed batches in order: those ready, or (all) every one given so far.
  void collect(bool all);
  void print_keys(std::span<const std::string_view> keys);
  // --output partial: the window's complete counts instead of a ranking.
  bool emit_partial(const ClosedWindow& w);
  void partial_header();
  size_t spellings(const CountMap& counts);
  // Whether tick(now) may have work that needs every line given so far counted first.
  bool tick_due(int64_t now_ms) const;

  const Config& config_;
  Output& output_;
  TimeMode time_;  // Auto until the first tweet decides
  Extractor extractor_;
  Windower windower_;
  std::unique_ptr<Sink> sink_;
  WindowObserver observer_;  // observe()
  Windower::Emit emit_final_, emit_partial_;
  Record record_;
  std::unique_ptr<ExtractPool> pool_;       // --threads > 1
  std::unique_ptr<PartialWriter> partial_;  // --output partial
  Ranker ranker_;
  std::vector<RankedKey> top_;
  CountMap users_;
  // Spellings of the ranked keys of the window being printed.
  struct Best {
    std::string_view spelling;
    uint64_t count = 0;
    uint64_t others = 0;  // all markers of the key
  };
  std::vector<Best> best_;
  std::unordered_map<std::string_view, size_t>
      top_index_;  // --count users: authors per key of the window being printed
  Stats stats_;
  Stats resumed_;           // stats_ as the state left them (load()), the held jump's line not read yet
  std::string first_line_;  // the first line that was neither blank nor oversized, cut short (the hint)
  bool seen_first_ = false;
  void see_first(std::string_view text);
  // --max-skew's held jumps, the oldest first: at most one per source (with one clock, at most one: the
  // next record decides it, whatever its source).
  std::vector<HeldJump> held_;
  std::vector<std::string_view> held_keys_;  // release_held()'s views of a held record's keys
  std::vector<SourceOffset> offsets_;
  int64_t idle_timeout_ms_;
  SourceClocks clocks_;
  uint32_t current_ = 0;                // the source of the lines handed in now (from_source)
  int64_t current_wall_ = kNoTime;      // when they were read (from_source; kNoTime: at their arrival time)
  int64_t start_ms_;                    // when the run started (a resumed state's quiet counts from it)
  int64_t last_record_wall_ = kNoTime;  // arrival of the last tweet, for --idle-timeout
  int64_t max_arrival_ = kNoTime;       // arrival of the record that brought the latest event time
  int64_t next_partial_ = kNoTime;      // next --emit every=DUR output
  bool done_ = false;
  bool begun_ = false;
  std::string run_id_;  // 32 hex digits
  uint64_t segment_ = 0;
  bool chain_partials_ = false;
  bool warned_approximate_ = false;
  std::string approximate_warning_;  // set_approximate_warning()
  bool log_time_ = false;  // --kafka: arrival times are log timestamps, standing in for missing event times
  bool input_failed_ = false;
};

}  // namespace trendtop
