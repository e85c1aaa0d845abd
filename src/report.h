// The run's report on stderr: --stats at the end and SIGUSR1's at any time (the counters, each network
// source, each source's clock in event time), and the live view's one line about the clocks.
#pragma once
#include <chrono>
#include <string>

#include "count/clocks.h"
#include "input/reader.h"
#include "pipeline.h"

namespace trendtop {

void print_stats(const Pipeline& pipeline, const Reader& reader,
                 std::chrono::steady_clock::time_point started);
// The live view's line: the sources and the one furthest behind (empty with fewer than two).
std::string clock_summary(const SourceClocks& clocks);

}  // namespace trendtop
