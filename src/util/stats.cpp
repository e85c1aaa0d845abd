#include "util/stats.h"

#include <fmt/format.h>

namespace trendtop {

std::string Stats::format(double elapsed_s) const {
  double secs = elapsed_s > 0 ? elapsed_s : 1e-9;
  return fmt::format(
      "lines={} counted={} malformed={} skipped={} filtered={} late={} oversized={} blank={} skewed={} "
      "held={} discarded={} windows={} partials={} keys={} bytes={} elapsed={:.3f}s lines_per_s={:.0f} "
      "mb_per_s={:.1f}",
      lines, counted, malformed, skipped, filtered, late, oversized, blank, skewed, held, discarded, windows,
      partials, keys, bytes, elapsed_s, static_cast<double>(lines) / secs,
      static_cast<double>(bytes) / 1e6 / secs);
}

}  // namespace trendtop
