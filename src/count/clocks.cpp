#include "count/clocks.h"

#include <algorithm>
#include <utility>

namespace trendtop {

SourceClocks::SourceClocks(int64_t lateness_ms, int64_t max_lag_ms, int64_t idle_ms)
    : lateness_ms_(lateness_ms), max_lag_ms_(max_lag_ms), idle_ms_(idle_ms) {
  // Slot 0: lines handed in without a source (tests, tools); it joins with its first record.
  sources_.push_back({"input", State::Opening, kNoTime, kNoTime, kNoTime, false});
}

uint32_t SourceClocks::open(std::string name, bool resumable, int64_t now_ms) {
  uint32_t id;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
  } else {
    id = static_cast<uint32_t>(sources_.size());
    sources_.emplace_back();
  }
  sources_[id] = {std::move(name), State::Opening, kNoTime, kNoTime, now_ms, resumable};
  return id;
}

void SourceClocks::joined(uint32_t id) {
  if (id >= sources_.size()) return;
  Source& s = sources_[id];
  if (s.state != State::Opening) return;
  s.state = State::Active;
  s.floor = watermark();
  joined_ = true;
  if (s.resumable) {
    auto it = std::find_if(saved_.begin(), saved_.end(), [&](const auto& e) { return e.first == s.name; });
    if (it != saved_.end()) {
      s.max_time = it->second;
      saved_.erase(it);
    }
  }
  dirty_ = true;
}

void SourceClocks::closed(uint32_t id) {
  if (id >= sources_.size() || sources_[id].state == State::Free) return;
  Source& s = sources_[id];
  // (A Kafka partition handed to another process, a URL stream that ended: a later one joins anew.)
  if (id == 0) {
    s = {"input", State::Opening, kNoTime, kNoTime, kNoTime, false};
  } else {
    s = {};
    free_.push_back(id);
  }
  dirty_ = true;
}

void SourceClocks::saw(uint32_t id, int64_t t, int64_t arrival_ms) {
  if (max_time_ == kNoTime || t > max_time_) max_time_ = t;
  if (id >= sources_.size()) return;
  Source& s = sources_[id];
  if (s.state == State::Opening) joined(id);
  if (s.state == State::Idle) {  // back: rejoins where the run is now
    s.state = State::Active;
    s.floor = watermark();
    dirty_ = true;
  }
  if (s.state != State::Active) return;
  if (s.max_time != kNoTime && t <= s.max_time) return;
  // Only the source that held the minimum can move it.
  if (s.watermark(lateness_ms_) <= min_) dirty_ = true;
  s.max_time = t;
  s.max_arrival = arrival_ms;
}

void SourceClocks::recompute() {
  dirty_ = false;
  any_active_ = false;
  min_ = kNoTime;
  for (const Source& s : sources_) {
    if (s.state != State::Active) continue;
    int64_t w = s.watermark(lateness_ms_);
    if (!any_active_ || w < min_) min_ = w;
    any_active_ = true;
  }
}

int64_t SourceClocks::watermark() {
  if (dirty_) recompute();
  // One clock (--max-source-lag 0), or no source left to hold the windows (every one closed or idle): the
  // newest record decides, as it always did with one source. (Not before any source joined: a run resumed
  // from a state keeps the saved watermark until its sources come back.)
  if (max_lag_ms_ <= 0 || (!any_active_ && joined_)) {
    if (max_time_ != kNoTime) watermark_ = std::max(watermark_, max_time_ - lateness_ms_);
    return watermark_;
  }
  int64_t w = std::max(watermark_, min_);
  // Bounded delay and memory: never further behind the newest record than the lag allows.
  if (max_time_ != kNoTime) w = std::max(w, max_time_ - lateness_ms_ - max_lag_ms_);
  watermark_ = w;
  return w;
}

bool SourceClocks::idle(int64_t now_ms) {
  if (idle_ms_ <= 0 || started_ == kNoTime) return false;
  bool any = false;
  for (Source& s : sources_) {
    if (s.state != State::Active || s.last_wall == kNoTime ||
        now_ms - std::max(s.last_wall, started_) < idle_ms_)
      continue;
    s.state = State::Idle;
    any = true;
  }
  if (any) dirty_ = true;
  return any;
}

int64_t SourceClocks::next_idle() const {
  if (idle_ms_ <= 0 || started_ == kNoTime) return kNoTime;
  int64_t next = kNoTime;
  for (const Source& s : sources_) {
    if (s.state != State::Active || s.last_wall == kNoTime) continue;
    int64_t due = std::max(s.last_wall, started_) + idle_ms_;
    if (next == kNoTime || due < next) next = due;
  }
  return next;
}

std::vector<std::pair<std::string, int64_t>> SourceClocks::resumable() const {
  std::vector<std::pair<std::string, int64_t>> out = saved_;
  for (const Source& s : sources_)
    if (s.state != State::Free && s.resumable && s.max_time != kNoTime) out.emplace_back(s.name, s.max_time);
  return out;
}

void SourceClocks::restore_source(std::string name, int64_t max_time) {
  std::erase_if(saved_, [&](const auto& e) { return e.first == name; });
  saved_.emplace_back(std::move(name), max_time);
}

size_t SourceClocks::open_count() const {
  return static_cast<size_t>(std::count_if(sources_.begin(), sources_.end(), [](const Source& s) {
    return s.state == State::Active || s.state == State::Idle;
  }));
}

}  // namespace trendtop
