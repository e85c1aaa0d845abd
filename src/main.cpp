// trendtop: read lines, frame them, extract keys, count them into windows, print the top-k of each window.
// This file is glue: it parses the command line, wires the stages, runs the read loop, and maps what
// happened to an exit status (0 ok, 1 runtime error, 2 usage error).
#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>

#include <unistd.h>

#include <fmt/format.h>

#include "cli.h"
#include "config.h"
#include "framer.h"
#include "output.h"
#include "pipeline.h"
#include "source.h"

using namespace trendtop;

namespace {

int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void error(const std::string& what) {
  fmt::print(stderr, "trendtop: error: {}\n", what);
}

// Reads one input to its end through the framer into the pipeline. In arrival time it waits for input
// only until the next window is due, so windows close on the clock even when the input is silent.
// Returns false on a read error (reported), true otherwise.
bool read_input(FdSource& source, Framer& framer, Pipeline& pipeline, Stats& io) {
  std::string err;
  Line line;
  while (!pipeline.done()) {
    int64_t deadline = pipeline.next_deadline();
    if (deadline != Windower::kNone) {
      int64_t now = wall_ms();
      if (now >= deadline ||
          !source.wait_readable(static_cast<int>(std::min<int64_t>(deadline - now, 60'000)))) {
        pipeline.tick(wall_ms());
        pipeline.flush();
        continue;
      }
    }
    long n = source.read(framer.write_area(), err);
    if (n < 0) {
      error(err);
      ++io.read_errors;
      return false;
    }
    int64_t now = wall_ms();
    if (n == 0) {
      if (framer.finish(line)) pipeline.line(line, now);
      break;
    }
    io.bytes += static_cast<uint64_t>(n);
    framer.commit(static_cast<size_t>(n));
    while (framer.next(line)) pipeline.line(line, now);
    pipeline.tick(now);
    pipeline.flush();
  }
  pipeline.flush();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Config config;
  if (int rc = parse_cli(argc, argv, config); rc >= 0) return rc;

  // A reader that goes away (`| head`) shows up as EPIPE from write(), handled as a quiet stop.
  std::signal(SIGPIPE, SIG_IGN);
  auto started = std::chrono::steady_clock::now();

  Output output(STDOUT_FILENO);
  Pipeline pipeline(config, output, wall_ms());
  Framer framer(config.max_line);
  Stats io;
  bool failed = false;

  if (config.inputs.empty()) config.inputs.push_back("-");
  for (const std::string& path : config.inputs) {
    if (pipeline.done()) break;
    FdSource source;
    std::string err;
    if (!source.open(path, err)) {  // reported; the other inputs are still read
      error(err);
      failed = true;
      continue;
    }
    if (!read_input(source, framer, pipeline, io)) failed = true;
  }
  pipeline.finish(wall_ms());
  pipeline.flush();
  if (output.status() == Output::Status::Error) {
    error(output.error());
    failed = true;
  }

  if (config.stats) {
    Stats stats = pipeline.stats();
    stats.bytes = io.bytes;
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    fmt::print(stderr, "trendtop: stats {}\n", stats.format(elapsed));
  }
  return failed ? 1 : 0;
}
