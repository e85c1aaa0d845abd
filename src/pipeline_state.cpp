// The pipeline's part of a state file (state.h frames it): the settings that give counts their meaning, the
// counters, the windows, the ranking, a held record, the sources' offsets and clocks. Versions only append:
// an older state simply ends before what it lacks.
#include "pipeline.h"

#include <fmt/format.h>

#include "util/clock.h"
#include "util/duration.h"

namespace trendtop {

void Pipeline::save(StateWriter& out) const {
  // The settings that give counts their meaning: a state is only continued under the same ones.
  out.i64(config_.window_ms);
  out.i64(config_.slide_ms);
  out.i64(config_.lateness_ms);
  out.u8(static_cast<uint8_t>(config_.extract));
  out.u8(config_.keys);
  out.u8(static_cast<uint8_t>(config_.count));
  out.u8(static_cast<uint8_t>(config_.schema) | (config_.keep_case ? 0x80 : 0));
  for (const std::string* f :
       {&config_.key_field, &config_.text_field, &config_.time_field, &config_.user_field})
    out.str(*f);
  out.u8(static_cast<uint8_t>(time_));
  out.u8(static_cast<uint8_t>(config_.rank));
  out.i64(config_.rank == RankMode::Trend ? config_.baseline_ms : 0);
  // Discarded lines were never looked at: the state does not carry them (nor their lines).
  for (uint64_t v : {stats_.lines - stats_.discarded, stats_.counted, stats_.malformed, stats_.skipped,
                     stats_.filtered, stats_.late, stats_.oversized, stats_.blank, stats_.skewed, stats_.held,
                     stats_.windows, stats_.keys, stats_.bytes})
    out.u64(v);
  windower_.save(out);
  ranker_.save(out, windower_.totals());
  // The first held jump here (versions 4-7 hold one at most), the others at the end (version 8).
  auto held = [&](const HeldJump& h) {
    out.i64(h.time);
    out.u64(h.ends.size());
    uint32_t from = 0;
    for (uint32_t end : h.ends) {
      out.str(std::string_view(h.bytes).substr(from, end - from));
      from = end;
    }
  };
  out.u8(!held_.empty());
  if (!held_.empty()) held(held_.front());
  out.u64(offsets_.size());
  for (const SourceOffset& o : offsets_) {
    out.str(o.topic);
    out.i64(o.partition);
    out.i64(o.next);
  }
  // State version 5: the partial stream's identity (a version 4 state ends before it).
  out.str(run_id_);
  out.u64(segment_);
  // State version 6: the URL streams' resume positions, one per offset above (a version 5 state ends here).
  for (const SourceOffset& o : offsets_) {
    out.str(o.id);
    out.u64(o.seen.size());
    for (auto [time, hash] : o.seen) {
      out.i64(time);
      out.u64(hash);
    }
  }
  // State version 7: the run's watermark as the sources' clocks made it, and the clocks of the sources that
  // come back after a restart (Kafka partitions, URL streams), by name (a version 6 state ends here).
  out.i64(clocks_.saved_watermark());
  std::vector<std::pair<std::string, int64_t>> clocks = clocks_.resumable();
  out.u64(clocks.size());
  for (const auto& [name, time] : clocks) {
    out.str(name);
    out.i64(time);
  }
  // State version 8: the held jumps after the first (one per source at most), then the names of the
  // sources of all of them, which decide them after a restart (a version 7 state ends here).
  out.u64(held_.empty() ? 0 : held_.size() - 1);
  for (size_t i = 1; i < held_.size(); ++i) held(held_[i]);
  for (const HeldJump& h : held_) out.str(h.name);
}

bool Pipeline::load(StateReader& in, std::string& error) {
  int64_t window = in.i64(), slide = in.i64(), lateness = in.i64();
  uint8_t extract_byte = in.u8(), keys = in.u8(), count = in.u8(), schema = in.u8();
  std::string_view fields[4] = {in.str(), in.str(), in.str(), in.str()};
  uint8_t time = in.u8();
  uint8_t rank = in.u8();
  int64_t baseline = in.i64();
  if (in.failed() || time > static_cast<uint8_t>(TimeMode::Arrival) ||
      extract_byte > static_cast<uint8_t>(ExtractMode::Split)) {
    error = "is corrupt (bad header fields)";
    return false;
  }
  auto saved_time = static_cast<TimeMode>(time);
  auto extract = static_cast<ExtractMode>(extract_byte);
  bool time_ok = time_ == TimeMode::Auto || saved_time == TimeMode::Auto || saved_time == time_;
  if (window != config_.window_ms || slide != config_.slide_ms || lateness != config_.lateness_ms ||
      extract != config_.extract || keys != config_.keys || count != static_cast<uint8_t>(config_.count) ||
      schema != (static_cast<uint8_t>(config_.schema) | (config_.keep_case ? 0x80 : 0)) ||
      fields[0] != config_.key_field || fields[1] != config_.text_field || fields[2] != config_.time_field ||
      fields[3] != config_.user_field || !time_ok || rank != static_cast<uint8_t>(config_.rank) ||
      baseline != (config_.rank == RankMode::Trend ? config_.baseline_ms : 0)) {
    static const char* const kCounts[] = {"records", "occurrences", "users"};
    error = fmt::format(
        "was written with --window {} --slide {} --lateness {} --extract {} --keys {} --count {} --time {} "
        "--rank {}, plus its --schema, field paths and baseline, which this run does not match",
        format_duration(window), format_duration(slide), format_duration(lateness), extract_name(extract),
        keys_name(keys), count < 3 ? kCounts[count] : "?", time_name(saved_time),
        rank == 0   ? "count"
        : rank == 1 ? "trend"
                    : "?");
    return false;
  }
  if (saved_time != TimeMode::Auto) time_ = saved_time;
  for (uint64_t* v : {&stats_.lines, &stats_.counted, &stats_.malformed, &stats_.skipped, &stats_.filtered,
                      &stats_.late, &stats_.oversized, &stats_.blank, &stats_.skewed, &stats_.held,
                      &stats_.windows, &stats_.keys, &stats_.bytes})
    *v = in.u64();
  // The windows, the ranking history, then a held jump (--max-skew) if any.
  // Held jumps: their sources by name (version 8), decided by the next record of a source of that name.
  // hold() counts each again: the saved count must match what the state holds.
  uint64_t saved_held = stats_.held;
  stats_.held = 0;
  held_.clear();
  auto read_held = [&] {
    int64_t t = in.i64();
    uint64_t n = in.u64();
    std::vector<std::string_view> keys;
    std::vector<uint64_t> hashes;
    for (uint64_t i = 0; i < n && !in.failed() && i <= in.left(); ++i) {
      keys.push_back(in.str());
      hashes.push_back(hash_key(keys.back()));
    }
    bool ok = !in.failed() && keys.size() == n && in_time_range(t);
    if (ok) hold(t, keys, hashes, kNoTime, SourceClocks::kNoSource);
    return ok;
  };
  bool held_ok = windower_.load(in) && ranker_.load(in);
  if (held_ok && in.u8() != 0) held_ok = read_held();
  bool offsets_ok = held_ok;
  uint64_t offsets = offsets_ok ? in.u64() : 0;
  offsets_ok = offsets_ok && offsets <= in.left() / 24;  // each at least a length, partition and offset
  offsets_.clear();
  for (uint64_t i = 0; offsets_ok && i < offsets && !in.failed(); ++i) {
    std::string topic(in.str());
    int64_t partition = in.i64(), next = in.i64();
    if (partition < 0 || partition > INT32_MAX || next < 0) offsets_ok = false;
    offsets_.push_back({std::move(topic), static_cast<int32_t>(partition), next, {}, {}});
  }
  // The partial stream goes on under the saved run's identity, as its next segment. (A version 4 state
  // has none: this run's own stands.)
  if (offsets_ok && !in.failed() && !in.at_end()) {
    std::string_view run = in.str();
    uint64_t segment = in.u64();
    offsets_ok = run.size() == 32 && run.find_first_not_of("0123456789abcdef") == std::string_view::npos;
    if (offsets_ok) set_identity(std::string(run), segment + 1);
  }
  // The URL streams' resume positions (a version 5 state has none).
  for (size_t i = 0; offsets_ok && !in.failed() && !in.at_end() && i < offsets_.size(); ++i) {
    offsets_[i].id = std::string(in.str());
    uint64_t seen = in.u64();
    offsets_ok = seen <= in.left() / 16;
    for (uint64_t j = 0; offsets_ok && j < seen; ++j) {
      int64_t time = in.i64();
      offsets_[i].seen.emplace_back(time, in.u64());
    }
  }
  // The sources' clocks (a version 6 state has none: one clock, the newest record's).
  int64_t watermark = windower_.watermark();
  if (offsets_ok && !in.failed() && !in.at_end()) {
    watermark = in.i64();
    uint64_t n = in.u64();
    offsets_ok =
        (watermark == kNoTime || (watermark >= kMinTime - 3 * kMaxDuration && watermark <= kMaxTime)) &&
        n <= in.left() / 16;
    for (uint64_t i = 0; offsets_ok && i < n && !in.failed(); ++i) {
      std::string name(in.str());
      int64_t time = in.i64();
      offsets_ok = in_time_range(time);
      clocks_.restore_source(std::move(name), time);
    }
  }
  clocks_.restore(watermark, windower_.max_time());
  // The held jumps after the first (a version 7 state has none).
  if (offsets_ok && !in.failed() && !in.at_end()) {
    uint64_t more = in.u64();
    offsets_ok = more <= in.left() / 16;
    for (uint64_t i = 0; offsets_ok && i < more && !in.failed(); ++i) offsets_ok = read_held();
    for (HeldJump& h : held_)
      if (offsets_ok) h.name = std::string(in.str());
  }
  offsets_ok = offsets_ok && stats_.held == saved_held;
  if (!offsets_ok || in.failed() || !in.at_end()) {
    error = "is corrupt (bad window data)";
    return false;
  }
  // What this run reads and does is told apart from the counters carried over (--stats' rates, the hint,
  // the lines not counted). A held jump is decided in this run: its line counts as this run's.
  resumed_ = stats_;
  resumed_.lines -= resumed_.held;
  resumed_.held = 0;
  // The restored records arrived, for this run, at its start: a live input that stays quiet closes their
  // windows after --idle-timeout (and releases a held jump) as it would after a record just read.
  if (windower_.max_time() != kNoTime) last_record_wall_ = max_arrival_ = start_ms_;
  return true;
}

}  // namespace trendtop
