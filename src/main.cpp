// trendtop: read lines, frame them, extract keys, count them into windows, print the top-k of each window.
// This file is glue: it parses the command line, wires the stages, runs the reader, and maps what happened
// to an exit status (0 ok, 1 runtime error, 2 usage error).
#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>

#include <unistd.h>

#include <fmt/format.h>

#include "cli.h"
#include "config.h"
#include "output.h"
#include "pipeline.h"
#include "reader.h"

using namespace trendtop;

namespace {

volatile std::sig_atomic_t g_stop = 0;

// SIGINT/SIGTERM: stop reading, print the open windows, exit 0. A second SIGINT exits at once (130).
void on_stop_signal(int sig) {
  if (g_stop && sig == SIGINT) _exit(130);
  g_stop = 1;
}

void install_signals() {
  // A reader that goes away (`| head`) shows up as EPIPE from write(), handled as a quiet stop.
  std::signal(SIGPIPE, SIG_IGN);
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocked epoll_wait or read returns EINTR and the loop sees the flag
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void error(const std::string& what) {
  fmt::print(stderr, "trendtop: error: {}\n", what);
}

}  // namespace

int main(int argc, char** argv) {
  Config config;
  if (int rc = parse_cli(argc, argv, config); rc >= 0) return rc;
  // No source at all means stdin, as for any filter.
  if (config.inputs.empty() && config.listen.empty() && config.connect.empty()) config.inputs.push_back("-");

  install_signals();
  auto started = std::chrono::steady_clock::now();

  // The stages: sources -> framers -> (extract -> window -> top-k -> sink) -> output.
  Output output(STDOUT_FILENO);
  Pipeline pipeline(config, output, wall_ms());
  Reader reader(config, pipeline);
  std::string err;
  if (!reader.open(err)) {  // e.g. a port already in use: nothing was read
    error(err);
    return 1;
  }

  bool ok = reader.run(g_stop);
  pipeline.finish(wall_ms());  // end of input or a signal: print what is open
  pipeline.flush();
  if (output.status() == Output::Status::Error) {
    error(output.error());
    ok = false;
  }

  if (config.stats) {
    Stats stats = pipeline.stats();
    stats.bytes = reader.bytes();
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    fmt::print(stderr, "trendtop: stats {}\n", stats.format(elapsed));
    for (const SourceStats& s : reader.stats()) {
      if (!s.network) continue;
      fmt::print(
          stderr,
          "trendtop: stats source=\"{}\" accepted={} closed={} connects={} failures={} lines={} bytes={}\n",
          s.name, s.accepted, s.closed, s.connects, s.failures, s.lines, s.bytes);
    }
  }
  return ok ? 0 : 1;
}
