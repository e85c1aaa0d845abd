// The terminal stage: for people at a terminal, beside or instead of the printed windows — the live view
// (below), colours and terminal-safe keys (term.h), the progress line on stderr (progress.h), and the SVG
// chart of the top keys (chart.h), all fed the same ranked windows (history.h keeps the last ones).
//
// The live view (--view live): a full-screen view of the run, redrawn in place about once a second, with
// hand-written ANSI sequences (no curses: an alternate screen, a cursor-home and erase-to-end-of-line per
// line are all it needs, and every terminal since the VT100 knows them).
//
//   header   the sources, the windowing, input rate (records/s, MB/s), the counters
//   open     the running top-k of the window being filled
//   closed   the final top-k of the last window closed
//
// Each row: rank, key, count, a bar proportional to the count, its rank change since the previous window
// (↑3 ↓1 = new) and a sparkline of its counts over the last windows (blank where it was not ranked).
// A frame is built in memory and written with one write(2): nothing flickers. SIGWINCH redraws at the new
// size; Ctrl-Z gives the terminal back until fg. At the end the terminal is restored and the last final
// window is printed as --view scroll would print it, so it stays in the scrollback. Keys are shown
// terminal-safe (term.h).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "output/sink.h"
#include "terminal/history.h"
#include "terminal/term.h"
#include "util/stats.h"

namespace trendtop {

struct ViewStatus {
  std::string sources;    // "a.json, stdin, listen 127.0.0.1:9999"
  std::string windowing;  // "window 10s, slide 5s, event time"
  Stats stats;
  uint64_t connections = 0;  // producers connected now (--listen, --connect)
  uint64_t total_bytes = 0;  // the regular files' size, 0: unknown
  int64_t now_ms = 0;
  std::string clocks;  // event time, several sources: "sources 3  slowest kafka t[2] lag 4s"
};

class LiveView {
 public:
  // Sparklines look back over this many final windows.
  static constexpr size_t kHistory = 16;
  // Rows kept per table (more than any screen shows; --top 0 ranks every key).
  static constexpr size_t kMaxRows = 500;

  LiveView(int fd, bool color, bool trend);
  ~LiveView();
  // Switches to the alternate screen and hides the cursor; SIGWINCH from now on redraws.
  void begin();
  // A window the pipeline printed: a final one becomes the last closed; partial ones are kept for the
  // scrollback only after ending() (a signal prints the open windows partial).
  void window(const WindowResult& w);
  // The running top-k of the open window (copied); none() when no window is open.
  void running(const WindowResult& w);
  void no_running() { running_.valid = false; }
  void ending() { ending_ = true; }
  // Draws a frame at the terminal's size (one write). Also computes the input rate since the last frame.
  void draw(const ViewStatus& status);
  // Restores the terminal and prints the last final window (and any partial ones after ending()).
  void end();
  // Ctrl-Z (SIGTSTP) came: restores the terminal, stops the process until fg, then takes the screen again.
  bool suspend_if_asked();
  // A SIGWINCH came since the last call.
  static bool resized();
  // For a second SIGINT's _exit: restores the terminal (async-signal-safe).
  static void emergency_restore();

  // The frame for a screen of `columns` x `rows` (for tests; draw() writes it).
  std::string frame(const ViewStatus& status, int columns, int rows) const;
  const std::string& scrollback() const { return last_text_; }

 private:
  struct Row {
    std::string key;  // terminal-safe
    uint64_t count = 0;
    uint64_t prev_rank = 0;
    std::vector<int64_t> spark;  // oldest first; -1: not ranked
  };
  struct Table {
    bool valid = false;
    int64_t start = 0, end = 0;
    uint64_t records = 0, keys = 0;
    uint64_t max_error = 0;  // --max-keys made it approximate
    std::vector<Row> rows;
  };
  void fill(Table& t, const WindowResult& w, bool with_current);
  void table(std::vector<std::string>& lines, const Table& t, const char* what, size_t rows,
             int columns) const;
  static std::string text_of(const WindowResult& w, bool trend, bool color);

  int fd_;
  Palette pal_;
  bool trend_;
  bool active_ = false;
  bool ending_ = false;
  History history_{kHistory, kMaxRows};
  Table running_, closed_;
  std::string last_text_;  // the last final window, as --view scroll prints it
  std::string partial_text_;
  // The previous frame's counters, for the rates.
  int64_t last_ms_ = -1;
  uint64_t last_lines_ = 0, last_bytes_ = 0;
  double records_per_s_ = 0, mb_per_s_ = 0;
};

}  // namespace trendtop
