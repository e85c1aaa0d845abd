// trendtop: read lines, frame them, extract keys, count them into windows, print the top-k of each window.
// This file is glue, read top to bottom as a run goes: the command line, the screen (for people at a
// terminal), the stages, resuming from --state, reading with the wall-clock duties between reads, and the
// end. Exit status: 0 ok, 1 runtime error, 2 usage error.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <memory>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "cli.h"
#include "config.h"
#include "input/archive.h"
#include "input/kafka.h"
#include "input/reader.h"
#include "input/url_source.h"
#include "merge.h"
#include "output/output.h"
#include "pipeline.h"
#include "report.h"
#include "state.h"
#include "terminal/chart.h"
#include "terminal/progress.h"
#include "terminal/term.h"
#include "terminal/view.h"
#include "util/clock.h"
#include "util/duration.h"
#include "util/log.h"
#include "util/timefmt.h"

using namespace trendtop;

namespace {

// --- Signals.

volatile std::sig_atomic_t g_stop = 0;
volatile std::sig_atomic_t g_report = 0;
std::atomic<int64_t> g_stop_at{0};  // CLOCK_MONOTONIC ms of the first stop signal
static_assert(std::atomic<int64_t>::is_always_lock_free, "set in a signal handler");
timer_t g_stop_timer;
bool g_stop_timer_ok = false;

// After a stop signal, output that cannot be written (a reader that never reads) is given up once no byte
// could be written for kStopStalledMs, or at the latest kStopOutputMs after the signal (documented in
// man/trendtop.1 and the README).
constexpr int64_t kStopStalledMs = 1000;
constexpr int64_t kStopOutputMs = 10'000;

int64_t monotonic_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

// SIGINT/SIGTERM (and SIGHUP from a terminal): stop reading, print the open windows marked partial, exit 0.
// A second SIGINT exits at once. The first starts a timer that interrupts the main thread every 100 ms, so
// that a write blocked on a stuck stdout comes back and can give up (everything in it is async-signal-safe).
void on_stop_signal(int sig) {
  if (g_stop && sig == SIGINT) {
    LiveView::emergency_restore();
    _exit(130);
  }
  if (!g_stop) {
    int saved = errno;
    g_stop_at = monotonic_ms();
    if (g_stop_timer_ok) {
      itimerspec every{{0, 100'000'000}, {0, 100'000'000}};
      timer_settime(g_stop_timer, 0, &every, nullptr);
    }
    errno = saved;
  }
  g_stop = 1;
}
void on_report_signal(int) {
  g_report = 1;
}
void on_alarm(int) {}  // only there to interrupt a blocked call (EINTR)

void install_signals() {
  // A reader that goes away (`| head`) shows up as EPIPE from write(), handled as a quiet stop.
  std::signal(SIGPIPE, SIG_IGN);
  // Past a file size limit (ulimit -f) a write fails with EFBIG, a write error like a full disk, said in one
  // line with exit 1 and the state file left as it was, rather than the default death by SIGXFSZ.
  std::signal(SIGXFSZ, SIG_IGN);
  struct sigaction sa {};
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocked epoll_wait, read or write returns EINTR and the flag is seen
  sa.sa_handler = on_stop_signal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  // SIGHUP: under nohup (ignored when we start) it stays ignored; with stdout not a terminal (a supervisor,
  // cron) the terminal's hangup is not ours to die of; with stdout on the terminal that went away, it is a
  // stop like SIGTERM (the state is saved), not a kill.
  struct sigaction hup {};
  sigaction(SIGHUP, nullptr, &hup);
  if (hup.sa_handler != SIG_IGN) {
    if (isatty(STDOUT_FILENO)) {
      sigaction(SIGHUP, &sa, nullptr);
    } else {
      std::signal(SIGHUP, SIG_IGN);
    }
  }
  sa.sa_handler = on_report_signal;
  sigaction(SIGUSR1, &sa, nullptr);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, nullptr);
  // The stop timer signals this (the main) thread only: parsing and Kafka threads must not take it.
  sigevent ev{};
  ev.sigev_notify = SIGEV_THREAD_ID;
  ev.sigev_signo = SIGALRM;
  ev._sigev_un._tid = gettid();
  g_stop_timer_ok = timer_create(CLOCK_MONOTONIC, &ev, &g_stop_timer) == 0;
}

// Output blocked after a stop signal: given up (see kStopStalledMs).
bool give_up_output(int64_t stalled_ms, std::string& why) {
  if (!g_stop) return false;
  if (stalled_ms >= kStopStalledMs) {
    why = fmt::format("blocked for {:.1f} s, given up after a stop signal",
                      static_cast<double>(stalled_ms) / 1000);
    return true;
  }
  if (monotonic_ms() - g_stop_at >= kStopOutputMs) {
    why = fmt::format("still writing {} s after a stop signal", kStopOutputMs / 1000);
    return true;
  }
  return false;
}

// fds 0-2 closed at start would be taken by the first sockets, eventfds or files we open (windows written
// into a producer's connection): /dev/null goes in their place. Returns which were closed.
struct StdFds {
  bool closed[3] = {false, false, false};
};
StdFds open_std_fds() {
  StdFds fds;
  for (int fd = 0; fd < 3; ++fd) {
    if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF) continue;
    fds.closed[fd] = true;
    int null = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);  // the lowest free number: fd
    if (null >= 0 && null != fd) {
      dup2(null, fd);
      ::close(null);
    }
  }
  return fds;
}

// --- What the inputs are.

// Whether a source is live: it never ends by itself.
bool live_input(const Config& config) {
  // A Kafka topic is live unless read to its end (--exit-at-end: a batch run, whose pauses for group
  // rebalances must not close windows).
  bool live = !config.listen.empty() || !config.connect.empty() || !config.connect_urls.empty() ||
              (!config.kafka_brokers.empty() && !config.exit_at_end);
  struct stat st;
  bool stdin_read = std::find(config.inputs.begin(), config.inputs.end(), "-") != config.inputs.end();
  if (stdin_read && fstat(STDIN_FILENO, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
    live = true;
  return live;
}

// --idle-timeout defaults on for live sources (the slide, at least 1 s).
int64_t resolve_idle_timeout(const Config& config) {
  if (config.idle_timeout_ms >= 0) return config.idle_timeout_ms;
  return live_input(config) ? std::max<int64_t>(config.slide_ms, 1000) : 0;
}

// Whether every input is a regular file (or a directory of them), and the bytes they hold, compressed or
// not (for the progress line).
bool only_regular_files(const Config& config, uint64_t& total) {
  total = 0;
  if (!config.listen.empty() || !config.connect.empty() || !config.connect_urls.empty()) return false;
  return regular_inputs_size(config.inputs, total);
}

// The live view's title: what is read, and how it is windowed.
void describe(const Config& config, ViewStatus& status) {
  for (const std::string& in : config.inputs)
    status.sources += (status.sources.empty() ? "" : ", ") + (in == "-" ? std::string("stdin") : in);
  for (const Endpoint& e : config.listen)
    status.sources += (status.sources.empty() ? "listen " : ", listen ") + e.text();
  for (const Endpoint& e : config.connect)
    status.sources += (status.sources.empty() ? "connect " : ", connect ") + e.text();
  for (const std::string& u : config.connect_urls) {
    std::string err;
    if (std::optional<Url> url = parse_url(u, err))
      status.sources += (status.sources.empty() ? "connect " : ", connect ") + url->text();
  }
  std::string safe;
  append_terminal_safe(safe, status.sources);
  status.sources = safe;
  status.windowing = "window " + format_duration(config.window_ms);
  if (config.slide_ms != config.window_ms) status.windowing += ", slide " + format_duration(config.slide_ms);
  status.windowing += config.time == TimeMode::Event     ? ", event time"
                      : config.time == TimeMode::Arrival ? ", arrival time"
                                                         : "";
  if (config.rank == RankMode::Trend) status.windowing += ", ranked by trend";
}

// --- The screen: for people at a terminal, the live view replaces the text on stdout (which goes nowhere
// meanwhile), a progress line goes to stderr, a chart to its file. Decided once, before anything is read.

struct Screen {
  int out_fd = STDOUT_FILENO;  // where the printed windows go
  uint64_t total_bytes = 0;    // of the inputs, when all are regular files
  std::unique_ptr<LiveView> view;
  std::unique_ptr<Progress> progress;
  std::unique_ptr<Chart> chart;
  bool chart_ok = true;  // a chart that failed to write is reported once; the run goes on and exits 1

  // False (reported) when the run cannot start: /dev/null unavailable, a chart that cannot be written.
  bool open(Config& config, int64_t start_ms) {
    const char* term = std::getenv("TERM");
    // By default only for a stream: a run over files is a report, and prints every window.
    bool files = only_regular_files(config, total_bytes);
    bool live = config.view == ViewMode::Live || (config.view == ViewMode::Auto && isatty(STDOUT_FILENO) &&
                                                  config.output == OutputFormat::Text && !config.print_keys &&
                                                  capable_terminal(term) && !files);
    if (live && (out_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0) {
      error("cannot open /dev/null");
      return false;
    }
    // Colour only text, only onto a terminal unless asked for (never into a pipe by default).
    bool color = use_color(config.color, isatty(STDOUT_FILENO), std::getenv("NO_COLOR"), term);
    config.color_text = !live && config.output == OutputFormat::Text && !config.print_keys && color;
    if (live) view = std::make_unique<LiveView>(STDOUT_FILENO, color, config.rank == RankMode::Trend);
    // Never on the live view's own screen: its header shows the progress.
    if ((config.progress == 1 && !(live && isatty(STDERR_FILENO))) ||
        (config.progress < 0 && files && isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO) &&
         capable_terminal(term)))  // windows printed on the same terminal would break into the line
      progress = std::make_unique<Progress>(STDERR_FILENO, total_bytes, start_ms);
    if (!config.chart_path.empty()) {
      chart = std::make_unique<Chart>(config.chart_path);
      std::string err;
      if (!chart->probe(err)) {  // fail before reading anything (a chart already there stays until a window)
        error("--chart: " + err);
        return false;
      }
    }
    return true;
  }
  // The view and the chart see every window printed.
  void watch(Pipeline& pipeline) {
    if (view || chart)
      pipeline.observe([this](const WindowResult& w) {
        if (view) view->window(w);
        if (chart) chart->window(w);
      });
  }
  void write_chart() {
    std::string why;
    if (chart_ok && !chart->write(why)) {
      error("--chart: " + why);
      chart_ok = false;
    }
  }
};

// --- The state: resumed before reading, saved at checkpoints and at the end.

// `resumed`: a state was loaded.
bool resume(const Config& config, Pipeline& pipeline, bool& resumed) {
  resumed = false;
  if (config.state_path.empty()) return true;
  std::string payload, err;
  LoadResult loaded = load_state_file(config.state_path, payload, err);
  StateReader in(payload);
  if (loaded == LoadResult::Loaded && !pipeline.load(in, err))
    err = fmt::format("state file '{}' {}; refusing to use or overwrite it", config.state_path, err);
  if (loaded == LoadResult::Refused || !err.empty()) {
    error(err);
    return false;
  }
  resumed = loaded == LoadResult::Loaded;
  return true;
}

// Writes what the windows closed so far printed, then saves: a window counts as printed in the state only
// once its bytes were written. When the output failed, nothing is saved (false, said once by end_run): the
// state file stays at the last checkpoint whose windows were all written.
bool save_state(const Config& config, Pipeline& pipeline, const Output& output) {
  pipeline.sync();   // every line read is counted (this can close windows)
  pipeline.flush();  // and what that printed is written
  if (output.status() == Output::Status::Error) return false;
  StateWriter w;
  pipeline.save(w);
  std::string err;
  if (save_state_file(config.state_path, w.payload(), err)) return true;
  error(err);
  return false;
}

// --- Between reads, on the wall clock: SIGUSR1's report, --duration, --checkpoint-every, the live view's
// frames, the progress line, the chart. The reader calls it every turn of its loop.

struct Duties {
  const Config& config;
  Pipeline& pipeline;
  const Output& output;
  Reader& reader;
  Screen& screen;
  std::chrono::steady_clock::time_point started;
  KafkaSource* kafka;
  ViewStatus status;
  int64_t run_end, next_checkpoint;
  // The live view redraws every second (and at once on SIGWINCH); the chart is rewritten at most once a
  // second while windows close.
  int64_t next_frame, next_chart;
  // A live run says what it did not count as it goes (at most once a minute; not on the live view's screen).
  bool report_drops;
  uint64_t drops_reported = 0;
  int64_t next_drop_report;
  // Until a line is readable: the first lines all unreadable (plain text, pretty-printed JSON, a terminal)
  // are said once, with what to try.
  bool hint_open;
  bool ok = true;  // every checkpoint was saved

  Duties(const Config& c, Pipeline& p, const Output& o, Reader& r, Screen& s,
         std::chrono::steady_clock::time_point t0, int64_t start_ms)
      : config(c),
        pipeline(p),
        output(o),
        reader(r),
        screen(s),
        started(t0),
        kafka(r.kafka()),
        run_end(c.duration_ms > 0 ? start_ms + c.duration_ms : kNoTime),
        next_checkpoint(c.state_path.empty() ? kNoTime : start_ms + c.checkpoint_every_ms),
        next_frame(start_ms),
        next_chart(start_ms),
        report_drops(!c.quiet && !s.view && live_input(c)),
        next_drop_report(start_ms),
        hint_open(!c.quiet) {
    describe(config, status);
    status.total_bytes = screen.total_bytes;
    // Kafka: offsets go into the checkpoint with the windows, and to Kafka only once it is on disk.
    if (kafka && !config.state_path.empty())
      kafka->checkpoint = [this] { return save_state(config, pipeline, output); };
    // Waits for a Kafka broker give up once the run is ending.
    if (kafka) kafka->stopping = [this] { return g_stop || (run_end != kNoTime && wall_ms() >= run_end); };
  }

  // Returns when it wants to run again (kNoTime: no need), or Reader::kEndRun.
  int64_t operator()(int64_t now) {
    if (g_report) {
      g_report = 0;
      print_stats(pipeline, reader, started);
    }
    if (run_end != kNoTime && now >= run_end) return Reader::kEndRun;
    if (next_checkpoint != kNoTime && now >= next_checkpoint) {
      bool saved = save_state(config, pipeline, output);
      if (saved && kafka) kafka->checkpointed();
      ok = saved && ok;
      next_checkpoint = now + config.checkpoint_every_ms;
    }
    int64_t wake = kNoTime;
    auto sooner = [&](int64_t t) {
      if (t != kNoTime && (wake == kNoTime || t < wake)) wake = t;
    };
    sooner(run_end);
    sooner(next_checkpoint);
    if (LiveView* view = screen.view.get()) {
      view->suspend_if_asked();
      if (LiveView::resized() || now >= next_frame) {
        if (!pipeline.peek([&](const WindowResult& w) { view->running(w); })) view->no_running();
        status.stats = pipeline.stats();
        status.stats.bytes = pipeline.this_run().bytes;  // the bytes of this run's inputs, not a state's
        status.connections = 0;
        for (const SourceStats& s : reader.stats())
          if (s.network)
            status.connections += s.accepted + s.connects - std::min(s.closed, s.accepted + s.connects);
        status.now_ms = now;
        status.clocks = pipeline.clocks() ? clock_summary(*pipeline.clocks()) : std::string();
        view->draw(status);
        next_frame = now + 1000;
      }
      sooner(next_frame);
    }
    if (screen.progress) screen.progress->update(pipeline.this_run().bytes, now);  // of this run's files
    if (hint_open) {
      Stats s = pipeline.this_run();
      if (uint64_t n = pipeline.unreadable_only(); n >= Pipeline::kHintLines) {
        warn(pipeline.unreadable_hint(false));
        hint_open = false;
      } else if (n == 0 && s.lines > s.blank + s.oversized + s.discarded) {
        hint_open = false;  // a readable line
      }
    }
    // This run's: a resumed run does not say again what the runs before it dropped.
    if (uint64_t dropped = pipeline.this_run().dropped();
        report_drops && !hint_open && dropped != drops_reported) {
      if (now >= next_drop_report) {
        warn(pipeline.this_run().dropped_summary());
        drops_reported = dropped;
        next_drop_report = now + 60'000;
      } else {
        sooner(next_drop_report);
      }
    }
    if (screen.chart && screen.chart->dirty() && !screen.chart->history().windows().empty()) {
      if (now >= next_chart) {
        screen.write_chart();
        next_chart = now + 1000;
      } else {
        sooner(next_chart);
      }
    }
    return wake;
  }
};

// --- The end: a signal prints the open windows as partial and keeps them (in the state, if any); the end
// of input (or --duration) closes them, unless a state file carries them over to the next run.

// `ok`: how the run went so far (Kafka commits only what was printed or saved by a run that went well).
bool end_run(const Config& config, Pipeline& pipeline, Output& output, Screen& screen, KafkaSource* kafka,
             bool ok) {
  pipeline.sync();  // every line read is counted (parsing threads may still hold some)
  int64_t now = wall_ms();
  if (screen.progress) screen.progress->finish();
  if (screen.view) screen.view->ending();
  if (g_stop) {
    if (uint64_t hidden = pipeline.interrupt(now); hidden > 0)
      warn(fmt::format("interrupted: {} open window{} not printed ({})", hidden, hidden == 1 ? "" : "s",
                       config.output == OutputFormat::Partial
                           ? "partial streams carry closed windows only"
                           : "TSV/CSV rows are final; --emit every=DUR adds a final column"));
  } else if (config.state_path.empty() || config.flush) {
    pipeline.finish(now);
  }
  pipeline.end_output();
  pipeline.flush();
  bool written = output.status() != Output::Status::Error;
  if (!written) {
    error(output.error());
    ok = false;
  }
  if (!config.state_path.empty() && !written) {
    // The windows that could not be written must not count as printed: the state file keeps its last
    // checkpoint (or what the run started from), so the same input run again prints them.
    error(fmt::format("state file '{}' not updated: the output failed", config.state_path));
  } else if (!config.state_path.empty()) {
    if (config.flush && !g_stop) {
      Output none(-1);  // --flush leaves the state empty: a fresh pipeline's
      Pipeline fresh(config, none, now);
      fresh.offsets() = pipeline.offsets();  // where Kafka goes on: everything before was printed
      fresh.set_identity(pipeline.run_id(), pipeline.segment());  // the same partial stream goes on
      ok = save_state(config, fresh, none) && ok;
    } else {
      ok = save_state(config, pipeline, output) && ok;
    }
  }
  if (screen.chart && screen.chart->dirty()) screen.write_chart();
  if (screen.view) screen.view->end();  // the last window stays in the scrollback
  // Leave the group, committing what was consumed if it is printed or saved (not after a signal without a
  // state: those records' windows were never printed final, so the next run reads them again).
  if (kafka && !kafka->close(ok && (!g_stop || !config.state_path.empty()))) ok = false;
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  StdFds std_fds = open_std_fds();
  // The command line.
  Config config;
  if (int rc = parse_cli(argc, argv, config); rc >= 0) return rc;
  config.stdin_closed = std_fds.closed[0];
  config.stdout_closed = std_fds.closed[1];
  if (config.merge) return run_merge(config);
  if (config.inputs.empty() && config.listen.empty() && config.connect.empty() &&
      config.connect_urls.empty() && config.kafka_brokers.empty())
    config.inputs.push_back("-");  // no source at all means stdin, as for any filter
  if (std::string err; !config.kafka_brokers.empty() && !KafkaSource::check(config, err)) {
    error(err + " (see trendtop --help)");
    return 2;
  }
  if (std::string err; !UrlSources::check(config, err)) {
    error(err + " (see trendtop --help)");
    return 2;
  }

  install_signals();
  auto started = std::chrono::steady_clock::now();
  int64_t start_ms = wall_ms();
  Screen screen;
  if (!screen.open(config, start_ms)) return 1;

  // The stages: sources -> framers -> (extract -> window -> top-k -> sink) -> output.
  Output output(config.stdout_closed && screen.out_fd == STDOUT_FILENO ? -1 : screen.out_fd);  // -1: EBADF
  output.set_give_up(give_up_output);
  Pipeline pipeline(config, output, start_ms, resolve_idle_timeout(config));
  StateLock lock;  // held until the run ends
  if (std::string err; !config.state_path.empty() && !lock.acquire(config.state_path, err)) {
    error(err);
    return 1;
  }
  if (!config.state_path.empty()) remove_stale_temporaries(config.state_path);
  bool resumed = false;
  if (!resume(config, pipeline, resumed)) return 1;
  pipeline.stop_on(&g_stop);  // a long run of windows ends at a stop signal
  Reader reader(config, pipeline);
  if (std::string err; !reader.open(err)) {  // e.g. a port already in use: nothing was read
    error(err);
    return 1;
  }
  screen.watch(pipeline);
  // A resumed run writing a partial stream is its next segment from its start: the state says so at once,
  // so that a restart after this run dies before its first checkpoint is the segment after it, not the
  // same one again (which merge would refuse as one stream given twice). Other outputs carry no segment:
  // their state is left as it was until a checkpoint.
  bool started_saved =
      !resumed || config.output != OutputFormat::Partial || save_state(config, pipeline, output);

  // Read until every input ended, a stop signal, --duration or --intervals.
  Duties duties(config, pipeline, output, reader, screen, started, start_ms);
  if (screen.view) screen.view->begin();
  bool ok = reader.run(g_stop, std::ref(duties));
  ok = end_run(config, pipeline, output, screen, reader.kafka(), ok && duties.ok && started_saved);
  ok = ok && !pipeline.input_failed();  // a file read by ranges that failed (said when counted)
  if (duties.hint_open && pipeline.unreadable_only() > 0) warn(pipeline.unreadable_hint(true));
  if (config.stats)
    print_stats(pipeline, reader, started);
  else if (Stats run = pipeline.this_run();
           !config.quiet && run.dropped() > 0 &&
           run.dropped() != duties.drops_reported)  // no trace otherwise; said once is enough
    warn(run.dropped_summary());
  return ok && screen.chart_ok ? 0 : 1;
}
