#include "util/stats.h"

#include <utility>

#include <fmt/format.h>

namespace trendtop {

std::string Stats::dropped_summary() const {
  if (dropped() == 0) return {};
  std::string out = fmt::format("{} of {} lines not counted:", dropped(), lines);
  const char* sep = " ";
  for (auto [n, what] : {std::pair{malformed, "malformed"},
                         {late, "late (see --lateness)"},
                         {oversized, "oversized (see --max-line)"},
                         {skewed, "skewed (see --max-skew)"}}) {
    if (n == 0) continue;
    out += fmt::format("{}{} {}", sep, n, what);
    sep = ", ";
  }
  return out;
}

Stats Stats::since(const Stats& before) const {
  Stats d;
  d.lines = lines - before.lines;
  d.counted = counted - before.counted;
  d.malformed = malformed - before.malformed;
  d.skipped = skipped - before.skipped;
  d.filtered = filtered - before.filtered;
  d.late = late - before.late;
  d.oversized = oversized - before.oversized;
  d.blank = blank - before.blank;
  d.skewed = skewed - before.skewed;
  d.held = held - before.held;
  d.discarded = discarded - before.discarded;
  d.windows = windows - before.windows;
  d.partials = partials - before.partials;
  d.keys = keys - before.keys;
  d.bytes = bytes - before.bytes;
  d.read_errors = read_errors - before.read_errors;
  return d;
}

std::string Stats::format(double elapsed_s, const Stats& run) const {
  double secs = elapsed_s > 0 ? elapsed_s : 1e-9;
  return fmt::format(
      "lines={} counted={} malformed={} skipped={} filtered={} late={} oversized={} blank={} skewed={} "
      "held={} discarded={} windows={} partials={} keys={} bytes={} elapsed={:.3f}s lines_per_s={:.0f} "
      "mb_per_s={:.1f}",
      lines, counted, malformed, skipped, filtered, late, oversized, blank, skewed, held, discarded, windows,
      partials, keys, bytes, elapsed_s, static_cast<double>(run.lines) / secs,
      static_cast<double>(run.bytes) / 1e6 / secs);
}

}  // namespace trendtop
