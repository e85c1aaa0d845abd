#include "pipeline.h"

#include <random>

#include <algorithm>

#include <fmt/format.h>

#include "util/clock.h"
#include "util/duration.h"
#include "util/escape.h"
#include "util/log.h"
#include "util/timefmt.h"

namespace trendtop {

namespace {

// Keys proper, not spelling markers.
uint64_t real_keys(std::span<const std::string_view> keys) {
  uint64_t n = 0;
  for (std::string_view k : keys) n += k.empty() || k[0] != kSpellingMark;
  return n;
}
}  // namespace

Pipeline::Pipeline(const Config& config, Output& output, int64_t start_ms, int64_t idle_timeout_ms)
    : config_(config),
      output_(output),
      time_(config.time),
      extractor_(config),
      windower_({config.window_ms,
                 config.slide_ms,
                 config.lateness_ms,
                 config.max_skew_ms,
                 config.max_keys,
                 {config.count == CountMode::Users, tracks_spellings(config), kSpellingMark}}),
      sink_(make_sink(config.output, config.emit_every_ms > 0, config.rank == RankMode::Trend)),
      emit_final_([this](const ClosedWindow& w) { return emit(w, true); }),
      emit_partial_([this](const ClosedWindow& w) { return emit(w, false); }),
      ranker_(config.rank, config.baseline_ms, config.slide_ms),
      idle_timeout_ms_(idle_timeout_ms),
      clocks_(config.lateness_ms, config.max_source_lag_ms, idle_timeout_ms),
      start_ms_(start_ms) {
  if (config.color_text)  // --color, on a terminal: the text format in colour
    sink_ = make_sink(config.output, config.emit_every_ms > 0, config.rank == RankMode::Trend, true);
  // Arrival windows are printed from the start of the run, empty ones included.
  if (time_ == TimeMode::Arrival && !config.print_keys) windower_.start_at(start_ms);
  if (config.emit_every_ms > 0) next_partial_ = start_ms + config.emit_every_ms;
  // N threads parse: N - 1 workers, and this (the reading) thread when they fall behind (ExtractPool::help).
  if (config.threads > 1)
    pool_ = std::make_unique<ExtractPool>(config.threads - 1, config, config.batch_bytes);
  if (config.output == OutputFormat::Partial) partial_ = std::make_unique<PartialWriter>();
  // 128 random bits: two processes (or runs) never share a partial stream identity by chance.
  std::random_device random;
  for (int i = 0; i < 4; ++i) run_id_ += fmt::format("{:08x}", static_cast<uint32_t>(random()));
  log_time_ = !config.kafka_brokers.empty() && config.time != TimeMode::Arrival;
}

Pipeline::~Pipeline() = default;

void Pipeline::line(const Line& line, int64_t arrival_ms) {
  if (done_) {  // the run is over: counted, never looked at
    ++stats_.lines;
    ++stats_.discarded;
    return;
  }
  if (pool_) {
    if (pool_->add(line, arrival_ms, current_, wall_of(arrival_ms))) {
      pool_->submit();
      submitted();
    }
    return;
  }
  if (line.kind == Line::Kind::Oversized)
    return apply(ExtractedLine::Kind::Oversized, {}, {}, {}, arrival_ms, current_, wall_of(arrival_ms));
  if (is_blank(line.text))
    return apply(ExtractedLine::Kind::Blank, {}, {}, {}, arrival_ms, current_, wall_of(arrival_ms));
  if (!seen_first_) [[unlikely]]
    see_first(line.text);
  extractor_.extract(line.text, record_);
  apply(kind_of(record_.kind), record_.time_ms, record_.keys, {}, arrival_ms, current_, wall_of(arrival_ms));
}

uint32_t Pipeline::open_source(std::string name, bool resumable, int64_t now_ms) {
  uint32_t id = clocks_.open(std::move(name), resumable, now_ms);
  // It joins in input order: after the lines handed in before it, whatever the threads.
  if (pool_)
    pool_->add_mark(id, 1);
  else
    mark(ExtractedLine::Kind::Opened, id);
  return id;
}

void Pipeline::close_source(uint32_t id) {
  if (pool_)
    pool_->add_mark(id, 2);
  else
    mark(ExtractedLine::Kind::Closed, id);
}

void Pipeline::mark(ExtractedLine::Kind kind, uint32_t source) {
  if (kind == ExtractedLine::Kind::Opened) {
    clocks_.joined(source);
    return;
  }
  // Its held jump, if any, waits for a source of the same name (its stream may come back: a reconnection,
  // a partition, the next --state run's files), the stream catching up (live), or the end of the run.
  for (HeldJump& h : held_)
    if (h.source == source) h.source = SourceClocks::kNoSource;
  clocks_.closed(source);
  // The source that held the windows back may have been this one.
  if (!done_ && time_ == TimeMode::Event && !config_.print_keys) advance_event();
}

void Pipeline::advance_event() {
  if (!windower_.advance(clocks_.watermark(), emit_final_)) done_ = true;
}

void Pipeline::lines_from(Framer& framer, int64_t arrival_ms, uint64_t& lines) {
  Line l;
  if (!pool_ || done_) {
    while (!done_ && framer.next(l)) {  // once done, the rest stays unread
      ++lines;
      line(l, arrival_ms);
    }
    return;
  }
  pool_->submit();  // lines copied in before these go first
  Batch& b = pool_->filling();
  const char* base = framer.data();
  while (framer.next(l)) {
    ++lines;
    size_t offset = l.kind == Line::Kind::Oversized ? 0 : static_cast<size_t>(l.text.data() - base);
    b.lines.push_back({static_cast<uint32_t>(offset), static_cast<uint32_t>(l.text.size()),
                       l.kind == Line::Kind::Oversized, arrival_ms, current_, wall_of(arrival_ms)});
  }
  if (b.lines.empty()) return;
  framer.swap_buffer(b.text);  // the batch owns the read buffer now; the framer goes on in a recycled one
  b.used = b.text.size();
  pool_->submit();
  submitted();
}

void Pipeline::range(std::shared_ptr<RangeFile> file, uint64_t begin, uint64_t end, int64_t arrival_ms) {
  if (done_) return;
  pool_->submit_range(std::move(file), begin, end, arrival_ms, current_, wall_of(arrival_ms));
  submitted();
}

void Pipeline::see_first(std::string_view text) {
  seen_first_ = true;
  constexpr size_t kShown = 40;
  if (text.size() > kShown) {
    size_t cut = kShown;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // a whole character
    first_line_.assign(text.substr(0, cut)).append("...");
  } else {
    first_line_.assign(text);
  }
}

// This run's lines only: the first line shown is this run's, and a resumed run is told about what it read.
uint64_t Pipeline::unreadable_only() const {
  Stats s = this_run();
  uint64_t unreadable = s.malformed + s.skipped;
  uint64_t read = s.lines - s.blank - s.oversized - s.discarded;
  return unreadable == read ? unreadable : 0;
}

std::string Pipeline::unreadable_hint(bool at_end) const {
  uint64_t n = unreadable_only();
  Stats s = this_run();
  std::string seen;
  if (s.malformed > 0) seen = fmt::format("{} not a JSON object", s.malformed);
  if (s.skipped > 0)
    seen += fmt::format("{}{} JSON of no format trendtop knows", seen.empty() ? "" : ", ", s.skipped);
  std::string first;
  append_terminal_safe(first, first_line_);
  std::string_view head = first_line_;
  while (!head.empty() && (head.front() == ' ' || head.front() == '\t')) head.remove_prefix(1);
  std::string_view try_this;
  if (s.malformed == 0)
    try_this = "for any other JSON, --schema json --key-field PATH (see trendtop(1))";
  else if (!head.empty() && head.front() == '[')
    try_this =
        "trendtop reads one JSON object per line (NDJSON): for a JSON array, jq -c '.[]' FILE | trendtop";
  else if (!head.empty() && head.front() == '{')
    try_this =
        "trendtop reads one JSON object per line (NDJSON): for pretty-printed JSON, jq -c . FILE | trendtop";
  else
    try_this = "trendtop reads one JSON object per line (NDJSON); for plain text lines, --schema text";
  return fmt::format("none of the {}{} line{} read was a record ({}; the first: \"{}\"): {}",
                     at_end ? "" : "first ", n, n == 1 ? "" : "s", seen, first, try_this);
}

void Pipeline::submitted() {
  collect(false);
  // Bounded memory: at most max_in_flight() batches out; past that, wait for the oldest.
  while (pool_->in_flight() >= pool_->max_in_flight() && !done_) {
    if (Batch* b = pool_->front(false)) {
      apply_batch(*b);
      pool_->pop();
    } else if (!pool_->help(extractor_, record_)) {
      apply_batch(*pool_->front(true));
      pool_->pop();
    }
  }
}

void Pipeline::apply_batch(const Batch& b) {
  if (b.range.file) {  // read on a parsing thread: its bytes count now, in input order
    stats_.bytes += b.range.bytes;
    if (!b.range.error.empty()) {
      error(b.range.error);
      input_failed_ = true;
    }
  }
  if (!seen_first_) [[unlikely]] {  // the hint's first line: the first neither blank nor oversized
    for (size_t i = 0; i < b.out.size() && !seen_first_; ++i) {
      ExtractedLine::Kind k = b.out[i].kind;
      if (k != ExtractedLine::Kind::Blank && k != ExtractedLine::Kind::Oversized &&
          k != ExtractedLine::Kind::Opened && k != ExtractedLine::Kind::Closed)
        see_first({b.text.data() + b.lines[i].offset, b.lines[i].length});
    }
  }
  for (const ExtractedLine& x : b.out) {
    if (x.kind == ExtractedLine::Kind::Opened || x.kind == ExtractedLine::Kind::Closed) {
      mark(x.kind, x.source);  // not a line
      continue;
    }
    if (done_) {  // handed to the parsing threads before the run was over
      ++stats_.lines;
      ++stats_.discarded;
      continue;
    }
    std::optional<int64_t> time;
    if (x.has_time) time = x.time_ms;
    apply(x.kind, time, {b.keys.data() + x.first_key, x.key_count},
          {b.hashes.data() + x.first_key, x.key_count}, x.arrival_ms, x.source, x.wall_ms);
  }
}

void Pipeline::collect(bool all) {
  if (!pool_) return;
  if (all) pool_->submit();
  while (Batch* b = pool_->front(all)) {
    apply_batch(*b);
    pool_->pop();
  }
}

void Pipeline::sync() {
  collect(true);
}

void Pipeline::apply(ExtractedLine::Kind kind, std::optional<int64_t> time,
                     std::span<const std::string_view> keys, std::span<const uint64_t> hashes,
                     int64_t arrival_ms, uint32_t source, int64_t wall_ms) {
  ++stats_.lines;
  // --print-keys: one line per record (an empty one for a record without keys), nothing for blank lines.
  if (config_.print_keys && kind != ExtractedLine::Kind::Blank)
    print_keys(kind == ExtractedLine::Kind::Tweet ? keys : std::span<const std::string_view>{});
  switch (kind) {
    case ExtractedLine::Kind::Oversized:
      ++stats_.oversized;
      return;
    case ExtractedLine::Kind::Blank:
      ++stats_.blank;
      return;
    case ExtractedLine::Kind::Malformed:
      ++stats_.malformed;
      return;
    case ExtractedLine::Kind::NotTweet:
      ++stats_.skipped;
      return;
    case ExtractedLine::Kind::Filtered:
      ++stats_.filtered;
      return;
    case ExtractedLine::Kind::Tweet:
      break;
    case ExtractedLine::Kind::Opened:
    case ExtractedLine::Kind::Closed:
      return;  // markers never come here (apply_batch)
  }
  if (config_.print_keys) {  // no windows
    ++stats_.counted;
    stats_.keys += real_keys(keys);
    return;
  }
  // Kafka: a record without an event time of its own has its log timestamp (the arrival time given).
  if (!time && log_time_) time = arrival_ms;
  if (time_ == TimeMode::Auto) {
    // The first tweet decides: event time when records carry a timestamp.
    time_ = time ? TimeMode::Event : TimeMode::Arrival;
    if (time_ == TimeMode::Arrival) windower_.start_at(arrival_ms);
  }
  if (time_ == TimeMode::Arrival) {
    // Windows close on the clock (tick); a line read now belongs to the open window.
    if (windower_.add(arrival_ms, keys, hashes)) {
      ++stats_.counted;
      stats_.keys += real_keys(keys);
    } else {
      ++stats_.late;  // only if the wall clock stepped back past a closed window
    }
    return;
  }
  if (!time) {
    ++stats_.skipped;
    return;
  }
  if (!in_time_range(*time)) {  // dated outside years 0000..9999: a broken clock, with or without --max-skew
    ++stats_.skewed;
    return;
  }
  // (Kafka's arrival times are log times, not the wall clock --idle-timeout is about.)
  last_record_wall_ = log_time_ ? wall_ms : arrival_ms;
  int64_t skew = config_.max_skew_ms;
  // A record far ahead of its source's stream (jump_ms(): far enough to close windows the stream's next
  // records belong in), though maybe not of the wall clock, waits for the verdict of its source's next
  // record before it moves the watermark: one far before it says the jump was a lone spike, one near it
  // confirms it. Another source's records say nothing about it: a source far behind the others would
  // contradict every jump of the leading one. (A state may bring held jumps into a run without --max-skew.)
  int64_t jump = jump_ms();
  // (time - skew, not arrival + skew: the time is in range, a Kafka log time standing in for the arrival
  // may not be.)
  if (!held_.empty() && !(skew > 0 && *time - skew > arrival_ms)) {
    for (size_t i = 0; i < held_.size();) {
      if (decides(held_[i], source)) {
        // Its stream came back under this source: the record joins this source's clock.
        if (held_[i].source == SourceClocks::kNoSource && !held_[i].name.empty()) held_[i].source = source;
        release_held(i, skew == 0 || *time >= held_[i].time - jump);
      } else {
        ++i;
      }
    }
  }
  if (skew > 0) {
    // --max-skew. A time this far ahead of the wall clock that read it is a broken clock, whatever the
    // source.
    if (*time - skew > arrival_ms) {
      ++stats_.skewed;
      return;
    }
    if (int64_t stream = stream_time(source, arrival_ms); stream != kNoTime && *time > stream + jump) {
      hold(*time, keys, hashes, arrival_ms, source);
      return;
    }
  }
  count_event(*time, keys, hashes, arrival_ms, source);
}

std::pair<int64_t, int64_t> Pipeline::stream_clock(uint32_t source) const {
  if (config_.max_source_lag_ms > 0 && source < clocks_.sources().size()) {
    const SourceClocks::Source& s = clocks_.sources()[source];
    // (A clock restored from the state arrived, for this run, at its start.)
    if (s.max_time != kNoTime) return {s.max_time, s.max_arrival != kNoTime ? s.max_arrival : start_ms_};
  }
  return {windower_.max_time(), max_arrival_};
}

int64_t Pipeline::stream_time(uint32_t source, int64_t now_ms) const {
  auto [max, arrival] = stream_clock(source);
  if (max == kNoTime || idle_timeout_ms_ <= 0 || arrival == kNoTime || now_ms <= arrival) return max;
  // Live: a quiet stream is not behind; its records arrive as they happen. (A file is read faster than it
  // happened: there the stream is where its records are, whatever the wall clock.)
  return max + std::min(now_ms - arrival, kMaxDuration);
}

int64_t Pipeline::held_due(const HeldJump& h) const {
  auto [max, arrival] = stream_clock(h.source);
  if (idle_timeout_ms_ <= 0 || max == kNoTime || arrival == kNoTime) return kNoTime;
  // stream_time(now) + jump_ms() >= held time
  return arrival + std::max<int64_t>(0, h.time - jump_ms() - max);
}

int64_t Pipeline::held_due() const {
  int64_t first = kNoTime;
  for (const HeldJump& h : held_)
    if (int64_t due = held_due(h); due != kNoTime && (first == kNoTime || due < first)) first = due;
  return first;
}

void Pipeline::count_event(int64_t time, std::span<const std::string_view> keys,
                           std::span<const uint64_t> hashes, int64_t arrival_ms, uint32_t source) {
  if (windower_.max_time() == kNoTime || time > windower_.max_time()) max_arrival_ = arrival_ms;
  // Late when behind the run's watermark as it stood (every window the record falls in was emitted).
  if (windower_.add(time, keys, hashes)) {
    ++stats_.counted;
    stats_.keys += real_keys(keys);
  } else {
    ++stats_.late;
  }
  windower_.saw(time);
  clocks_.saw(source, time, arrival_ms);
  advance_event();
}

bool Pipeline::decides(const HeldJump& h, uint32_t source) const {
  if (config_.max_source_lag_ms <= 0 || h.source == source) return true;  // one clock, or its own source
  if (h.source != SourceClocks::kNoSource) return false;
  return h.name.empty() || (source < clocks_.sources().size() && clocks_.sources()[source].name == h.name);
}

void Pipeline::hold(int64_t time, std::span<const std::string_view> keys, std::span<const uint64_t> hashes,
                    int64_t arrival_ms, uint32_t source) {
  HeldJump h;
  h.source = source;
  if (source < clocks_.sources().size()) h.name = clocks_.sources()[source].name;
  h.time = time;
  h.arrival = arrival_ms;
  for (std::string_view k : keys) {
    h.bytes.append(k);
    h.ends.push_back(static_cast<uint32_t>(h.bytes.size()));
  }
  h.hashes.assign(hashes.begin(), hashes.end());
  // The oldest first: released together (at the end), the later ones must not close the earlier's windows.
  auto at = std::upper_bound(held_.begin(), held_.end(), time,
                             [](int64_t t, const HeldJump& e) { return t < e.time; });
  held_.insert(at, std::move(h));
  ++stats_.held;
}

void Pipeline::release_held(size_t i, bool count) {
  HeldJump h = std::move(held_[i]);
  held_.erase(held_.begin() + static_cast<ptrdiff_t>(i));
  --stats_.held;
  if (!count) {
    ++stats_.skewed;
    return;
  }
  held_keys_.clear();
  uint32_t from = 0;
  for (uint32_t end : h.ends) {
    held_keys_.push_back(std::string_view(h.bytes).substr(from, end - from));
    from = end;
  }
  count_event(h.time, held_keys_, h.hashes, h.arrival, h.source);
}

void Pipeline::release_all_held() {
  while (!held_.empty() && !done_) release_held(0, true);
}

bool Pipeline::tick_due(int64_t now_ms) const {
  if (time_ == TimeMode::Auto) return true;  // the first tweet, maybe still parsing, decides
  if (next_partial_ != kNoTime && now_ms >= next_partial_) return true;
  if (time_ == TimeMode::Arrival) return windower_.next_end() != kNoTime && now_ms >= windower_.next_end();
  // Lines still parsing can only make the last record more recent, so this errs towards waiting.
  if (int64_t due = held_due(); due != kNoTime && now_ms >= due) return true;
  // A source going idle (its last bytes are known at read time, ahead of counting).
  if (int64_t due = clocks_.next_idle(); due != kNoTime && now_ms >= due) return true;
  return idle_timeout_ms_ > 0 &&
         (last_record_wall_ == kNoTime || now_ms - last_record_wall_ >= idle_timeout_ms_);
}

void Pipeline::tick(int64_t now_ms) {
  if (done_) return;
  if (pool_) {
    collect(false);
    if (pool_->pending() && tick_due(now_ms)) collect(true);
    if (done_) return;
  }
  if (config_.print_keys) return;  // no windows
  // Live: a held record that the quiet stream has caught up with is no longer ahead of it. (Before the idle
  // advance below, which cannot pass its windows while it is still ahead.)
  if (int64_t due = held_due(); due != kNoTime && now_ms >= due) {
    for (size_t i = 0; i < held_.size() && !done_;) {
      if (int64_t d = held_due(held_[i]); d != kNoTime && now_ms >= d)
        release_held(i, true);
      else
        ++i;
    }
    if (done_) return;
  }
  if (time_ == TimeMode::Event && clocks_.idle(now_ms)) {
    // Sources quiet for --idle-timeout no longer hold the windows back.
    advance_event();
    if (done_) return;
  }
  if (time_ == TimeMode::Arrival) {
    if (!windower_.advance(now_ms, emit_final_)) done_ = true;
  } else if (time_ == TimeMode::Event && idle_timeout_ms_ > 0 && last_record_wall_ != kNoTime &&
             now_ms - last_record_wall_ >= idle_timeout_ms_) {
    // Quiet for long enough: the watermark moves on with the wall clock from where the last record left it.
    if (!windower_.advance(windower_.watermark() + (now_ms - last_record_wall_), emit_final_)) done_ = true;
  }
  if (next_partial_ != kNoTime && now_ms >= next_partial_ && !done_) {
    int64_t end = windower_.next_end();
    if (end != kNoTime) {
      // The running top-k of the window that closes next.
      Windower::Emit once = [&](const ClosedWindow& w) { return emit(w, false), false; };
      windower_.peek_open(once);
    }
    // The next one after now (in one step: the clock may have jumped by days).
    next_partial_ += ((now_ms - next_partial_) / config_.emit_every_ms + 1) * config_.emit_every_ms;
  }
}

void Pipeline::finish(int64_t now_ms) {
  sync();
  if (done_ || config_.print_keys) return;
  release_all_held();  // nothing came after the jumps to contradict them
  if (done_) return;
  bool go_on = time_ == TimeMode::Arrival
                   ? windower_.advance(now_ms, emit_final_) && windower_.flush(emit_final_, now_ms)
                   : windower_.flush(emit_final_);
  if (!go_on) done_ = true;
}

uint64_t Pipeline::interrupt(int64_t now_ms) {
  sync();
  if (done_ || config_.print_keys || windower_.interrupted()) return 0;
  // A held jump stays undecided in the state for the next run; without one this run is all there is.
  if (config_.state_path.empty()) release_all_held();
  if (time_ == TimeMode::Arrival && !windower_.advance(now_ms, emit_final_)) return 0;  // closed on time
  if (!sink_->marks_partial() || partial_)  // partial streams carry closed windows only
    return windower_.open_windows();
  int64_t through =
      time_ == TimeMode::Arrival ? floor_to(now_ms, config_.slide_ms) + config_.slide_ms : kNoTime;
  // Each open window is compared with the one before it, as a run to the end would print them; the ranking
  // history is put back afterwards, since these windows stay open (and go to the state as they are).
  Ranker closed_only = ranker_;
  chain_partials_ = true;
  windower_.peek_open(emit_partial_, through);
  chain_partials_ = false;
  ranker_ = std::move(closed_only);
  return 0;
}

int64_t Pipeline::next_deadline() const {
  int64_t wake = kNoTime;
  auto sooner = [&](int64_t t) {
    if (t != kNoTime && (wake == kNoTime || t < wake)) wake = t;
  };
  if (time_ == TimeMode::Arrival) sooner(windower_.next_end());
  if (time_ == TimeMode::Event && idle_timeout_ms_ > 0 && last_record_wall_ != kNoTime &&
      windower_.next_end() != kNoTime)
    sooner(last_record_wall_ + std::max(idle_timeout_ms_, windower_.next_end() - windower_.watermark()));
  sooner(held_due());
  if (time_ == TimeMode::Event) sooner(clocks_.next_idle());
  sooner(next_partial_);
  return wake;
}

void Pipeline::flush() {
  if (pool_) {
    pool_->submit();  // a live stream's last lines must not wait for a full batch
    submitted();      // and many small reads must not pile up unbounded batches
  }
  if (output_.buffer().size() != 0 && output_.flush() != Output::Status::Ok) done_ = true;
}

}  // namespace trendtop
