#include "pipeline.h"

namespace trendtop {

Pipeline::Pipeline(const Config& config, Output& output, int64_t start_ms)
    : config_(config),
      output_(output),
      time_(config.time),
      extractor_(config.extract == ExtractMode::Split ? ExtractMode::Split : ExtractMode::Entities),
      windower_({config.window_ms, config.slide_ms, config.lateness_ms}),
      sink_(make_sink(config.output)),
      emit_([this](const ClosedWindow& w) { return emit(w); }) {
  // Arrival windows are printed from the start of the run, empty ones included.
  if (time_ == TimeMode::Arrival) windower_.start_at(start_ms);
}

bool Pipeline::blank(std::string_view text) const {
  return text.find_first_not_of(" \t\r") == std::string_view::npos;  // JSON whitespace
}

void Pipeline::line(const Line& line, int64_t arrival_ms) {
  if (done_) return;
  ++stats_.lines;
  if (line.kind == Line::Kind::Oversized) {
    ++stats_.oversized;
    return;
  }
  if (blank(line.text)) {
    ++stats_.blank;
    return;
  }
  extractor_.extract(line.text, record_);
  if (record_.kind == Record::Kind::Malformed) {
    ++stats_.malformed;
    return;
  }
  if (record_.kind == Record::Kind::NotTweet) {
    ++stats_.skipped;
    return;
  }
  if (time_ == TimeMode::Auto) {
    // The first tweet decides: event time when records carry a timestamp.
    time_ = record_.time_ms ? TimeMode::Event : TimeMode::Arrival;
    if (time_ == TimeMode::Arrival) windower_.start_at(arrival_ms);
  }
  if (time_ == TimeMode::Arrival) {
    // Windows close on the clock (tick); a line read now belongs to the open window.
    if (windower_.add(arrival_ms, record_.keys)) {
      ++stats_.counted;
      stats_.keys += record_.keys.size();
    } else {
      ++stats_.late;  // only if the wall clock stepped back past a closed window
    }
    return;
  }
  if (!record_.time_ms) {
    ++stats_.skipped;
    return;
  }
  bool stopped = false;
  if (windower_.process(*record_.time_ms, record_.keys, emit_, stopped)) {
    ++stats_.counted;
    stats_.keys += record_.keys.size();
  } else {
    ++stats_.late;
  }
  if (stopped) done_ = true;
}

void Pipeline::tick(int64_t now_ms) {
  if (done_ || time_ != TimeMode::Arrival) return;
  if (!windower_.advance(now_ms, emit_)) done_ = true;
}

void Pipeline::finish(int64_t now_ms) {
  if (done_) return;
  bool go_on = time_ == TimeMode::Arrival ? windower_.advance(now_ms, emit_) && windower_.flush(emit_, now_ms)
                                          : windower_.flush(emit_);
  if (!go_on) done_ = true;
}

int64_t Pipeline::next_deadline() const {
  return time_ == TimeMode::Arrival ? windower_.next_end() : Windower::kNone;
}

bool Pipeline::emit(const ClosedWindow& w) {
  if (!begun_) {
    sink_->begin(output_.buffer());
    begun_ = true;
  }
  top_k(w.counts, config_.top, config_.min_count, top_);
  sink_->window({w.start, w.end, w.records, w.counts.size(), top_}, output_.buffer());
  ++stats_.windows;
  if (config_.intervals != 0 && stats_.windows >= config_.intervals) {
    done_ = true;
    return false;
  }
  return true;
}

Output::Status Pipeline::flush() {
  if (output_.buffer().size() == 0) return Output::Status::Ok;
  Output::Status status = output_.flush();
  if (status != Output::Status::Ok) done_ = true;
  return status;
}

}  // namespace trendtop
