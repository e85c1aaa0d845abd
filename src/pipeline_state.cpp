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
  out.u8(held_.present);
  if (held_.present) {
    out.i64(held_.time);
    out.u64(held_.keys.size());
    for (std::string_view k : held_.keys) out.str(k);
  }
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
  bool held_ok = windower_.load(in) && ranker_.load(in);
  if (held_ok && in.u8() != 0) {
    int64_t t = in.i64();
    uint64_t n = in.u64();
    std::vector<std::string_view> keys;
    std::vector<uint64_t> hashes;
    for (uint64_t i = 0; i < n && !in.failed() && i <= in.left(); ++i) {
      keys.push_back(in.str());
      hashes.push_back(hash_key(keys.back()));
    }
    held_ok = !in.failed() && keys.size() == n && stats_.held == 1;
    if (held_ok) {
      --stats_.held;  // hold() counts it again
      hold(t, keys, hashes, kNoTime, SourceClocks::kNoSource);
    }
  } else if (held_ok) {
    held_ok = stats_.held == 0;
  }
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
