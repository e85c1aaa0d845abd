#include "report.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include <fmt/format.h>

#include "util/clock.h"
#include "util/duration.h"
#include "util/log.h"
#include "util/timefmt.h"

namespace trendtop {

namespace {

// Event time: the sources' clocks (count/clocks.h), the most lagging first: how far each one's newest record
// is behind the newest of all. At most kShownClocks; the rest are summed up.
constexpr size_t kShownClocks = 20;

std::vector<const SourceClocks::Source*> lagging(const SourceClocks& clocks) {
  std::vector<const SourceClocks::Source*> open;
  for (const SourceClocks::Source& s : clocks.sources())
    if (s.state == SourceClocks::State::Active || s.state == SourceClocks::State::Idle) open.push_back(&s);
  std::stable_sort(open.begin(), open.end(),
                   [](const auto* a, const auto* b) { return a->max_time < b->max_time; });
  return open;
}

std::string lag_text(const SourceClocks& clocks, const SourceClocks::Source& s) {
  if (s.max_time == kNoTime || clocks.max_time() == kNoTime) return "none";
  return format_duration(clocks.max_time() - s.max_time);
}

void print_clocks(const SourceClocks& clocks) {
  fmt::memory_buffer wm;
  if (int64_t w = clocks.saved_watermark(); w != kNoTime)
    append_rfc3339(wm, w);
  else
    fmt::format_to(std::back_inserter(wm), "none");
  std::vector<const SourceClocks::Source*> open = lagging(clocks);
  if (open.empty()) return;  // the end of a run, or nothing open: nothing to say
  // say(), as the rest of the report: the live view holds these lines while it owns the screen.
  say(fmt::format("trendtop: stats watermark={} sources={}", fmt::to_string(wm), open.size()));
  for (size_t i = 0; i < open.size() && i < kShownClocks; ++i) {
    const SourceClocks::Source& s = *open[i];
    say(fmt::format("trendtop: stats clock=\"{}\" state={} lag={}", s.name,
                    s.state == SourceClocks::State::Idle                           ? "idle"
                    : s.watermark(clocks.lateness_ms()) < clocks.saved_watermark() ? "behind"
                                                                                   : "active",
                    lag_text(clocks, s)));
  }
  if (open.size() > kShownClocks)
    say(fmt::format("trendtop: stats clocks_not_shown={}", open.size() - kShownClocks));
}

}  // namespace

std::string clock_summary(const SourceClocks& clocks) {
  std::vector<const SourceClocks::Source*> open = lagging(clocks);
  if (open.size() < 2) return {};
  return fmt::format("sources {}  slowest {} lag {}", open.size(), open.front()->name,
                     lag_text(clocks, *open.front()));
}

void print_stats(const Pipeline& pipeline, const Reader& reader,
                 std::chrono::steady_clock::time_point started) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // say(): SIGUSR1's report during the live view is held by it, like every message.
  // Every run's counters (--state carries them over), this run's rates.
  warn(fmt::format("stats {}", pipeline.stats().format(elapsed, pipeline.this_run())));
  for (const SourceStats& s : reader.stats()) {
    if (!s.network) continue;
    say(fmt::format(
        "trendtop: stats source=\"{}\" accepted={} closed={} refused={} timeouts={} connects={} failures={} "
        "lines={} bytes={}{}",
        s.name, s.accepted, s.closed, s.refused, s.timeouts, s.connects, s.failures, s.lines, s.bytes,
        s.url ? fmt::format(" replayed={}", s.replayed) : std::string()));
  }
  if (const SourceClocks* clocks = pipeline.clocks()) print_clocks(*clocks);
}

}  // namespace trendtop
