#include "terminal/view.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <mutex>

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "util/log.h"
#include "util/timefmt.h"

namespace trendtop {

namespace {

volatile std::sig_atomic_t g_winch = 0;
volatile int g_view_fd = -1;  // the live view's terminal, for emergency_restore()

void on_winch(int) {
  g_winch = 1;
}

constexpr const char kEnter[] = "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J";  // alternate screen, cursor hidden
constexpr const char kLeave[] = "\x1b[0m\x1b[?25h\x1b[?1049l";        // attributes off, cursor, main screen

void write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;  // the terminal went away: nothing to show anything on
    p += w;
    n -= static_cast<size_t>(w);
  }
}

// One line of a frame, clipped to the screen's width whatever its segments (colour codes take no columns).
class Line {
 public:
  Line(std::string& out, int columns) : out_(out), left_(static_cast<size_t>(std::max(columns, 0))) {}
  // `text` must be terminal-safe.
  Line& add(std::string_view text, const char* sgr = "", const char* reset = "") {
    if (left_ == 0 || text.empty()) return *this;
    out_ += sgr;
    left_ -= append_clipped(out_, text, left_, false);
    out_ += reset;
    return *this;
  }
  // A word or phrase shown whole or not at all: the first that does not fit ends the line (a header cut
  // mid-word reads as something else).
  Line& whole(std::string_view text, const char* sgr = "", const char* reset = "") {
    if (display_width(text) > left_) {
      left_ = 0;
      return *this;
    }
    return add(text, sgr, reset);
  }
  Line& pad(size_t n) {
    n = std::min(n, left_);
    out_.append(n, ' ');
    left_ -= n;
    return *this;
  }
  size_t left() const { return left_; }

 private:
  std::string& out_;
  size_t left_;
};

std::string bounds(int64_t start, int64_t end) {
  fmt::memory_buffer b;
  append_window_bounds(b, start, end);
  return fmt::to_string(b);
}

// 1234567 -> "1.23M": counters in a header line.
std::string human(double v) {
  if (v < 10'000) return fmt::format("{:.0f}", v);
  if (v < 1e6) return fmt::format("{:.1f}k", v / 1e3);
  if (v < 1e9) return fmt::format("{:.2f}M", v / 1e6);
  return fmt::format("{:.2f}G", v / 1e9);
}

// The bar of `count` against `max` in `width` columns, in eighths of a column.
std::string bar(uint64_t count, uint64_t max, size_t width) {
  static const char* const kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  if (max == 0 || width == 0) return {};
  uint64_t eighths = count * width * 8 / max;
  if (eighths == 0 && count > 0) eighths = 1;
  std::string s;
  for (uint64_t i = 0; i < eighths / 8; ++i) s += "█";
  s += kEighths[eighths % 8];
  return s;
}

// Counts as block heights against the row's own maximum; a blank where the key was not ranked.
std::string sparkline(const std::vector<int64_t>& counts, size_t width) {
  static const char* const kLevels[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  size_t from = counts.size() > width ? counts.size() - width : 0;
  int64_t max = 0;
  for (size_t i = from; i < counts.size(); ++i) max = std::max(max, counts[i]);
  std::string s;
  for (size_t i = from; i < counts.size(); ++i) {
    if (counts[i] < 0 || max == 0) {
      s += ' ';
      continue;
    }
    s += kLevels[counts[i] * 7 / max];  // the row's maximum is a full block
  }
  return s;
}

std::string move_of(uint64_t prev_rank, size_t rank) {
  if (prev_rank == 0) return "new";
  int64_t moved = static_cast<int64_t>(prev_rank) - static_cast<int64_t>(rank);
  if (moved == 0) return "=";
  return fmt::format("{}{}", moved > 0 ? "↑" : "↓", moved > 0 ? moved : -moved);
}

// Messages said while the view holds stderr's terminal: the last one is shown in the frame, all of them (the
// first kHeld, and how many more) on standard error once the terminal is restored.
constexpr size_t kHeld = 200;
std::mutex g_held_mutex;
std::vector<std::string> g_held;
uint64_t g_held_more = 0;

void hold_message(std::string_view line) {
  std::lock_guard lock(g_held_mutex);
  if (g_held.size() < kHeld)
    g_held.emplace_back(line);
  else
    ++g_held_more;
}

// Whether stderr writes to the terminal `fd` is: then a message would land on the view's screen.
bool same_terminal(int fd) {
  struct stat a {
  }, b{};
  return isatty(STDERR_FILENO) && fstat(fd, &a) == 0 && fstat(STDERR_FILENO, &b) == 0 &&
         a.st_rdev == b.st_rdev;
}

// Ctrl-Z: the reading loop gives the terminal back and stops (suspend_if_asked), not the handler, so the
// stop needs no re-raising games with the signal mask.
volatile std::sig_atomic_t g_tstp = 0;
void on_tstp(int) {
  g_tstp = 1;
}

}  // namespace

LiveView::LiveView(int fd, bool color, bool trend) : fd_(fd), trend_(trend) {
  pal_.on = color;
}

LiveView::~LiveView() {
  end();
}

void LiveView::begin() {
  if (active_) return;
  struct sigaction sa {};
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: the reader's epoll_wait wakes up and the next turn redraws
  sa.sa_handler = on_winch;
  sigaction(SIGWINCH, &sa, nullptr);
  sa.sa_handler = on_tstp;
  sigaction(SIGTSTP, &sa, nullptr);
  write_all(fd_, kEnter, sizeof kEnter - 1);
  g_view_fd = fd_;
  active_ = true;
  if (same_terminal(fd_)) g_message_hook = hold_message;
}

bool LiveView::suspend_if_asked() {
  if (!g_tstp) return false;
  g_tstp = 0;
  if (!active_) return false;
  write_all(fd_, kLeave, sizeof kLeave - 1);
  kill(getpid(), SIGSTOP);  // until fg (SIGCONT)
  write_all(fd_, kEnter, sizeof kEnter - 1);
  g_winch = 1;  // redraw at once
  return true;
}

bool LiveView::resized() {
  if (!g_winch) return false;
  g_winch = 0;
  return true;
}

void LiveView::emergency_restore() {
  if (g_view_fd >= 0) write_all(g_view_fd, kLeave, sizeof kLeave - 1);
}

std::string LiveView::text_of(const WindowResult& w, bool trend, bool color) {
  fmt::memory_buffer out;  // the text format makes keys terminal-safe itself
  make_sink(OutputFormat::Text, false, trend, color)->window(w, out);
  return std::string(out.data(), out.size());
}

void LiveView::fill(Table& t, const WindowResult& w, bool with_current) {
  t.valid = true;
  t.start = w.start;
  t.end = w.end;
  t.records = w.records;
  t.keys = w.keys;
  t.max_error = w.max_error;
  t.rows.resize(std::min(w.top.size(), kMaxRows));
  const auto& past = history_.windows();
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const RankedKey& r = w.top[i];
    Row& row = t.rows[i];
    row.key.clear();
    append_terminal_safe(row.key, r.display.empty() ? r.key : r.display);
    row.count = r.count;
    row.prev_rank = r.prev_rank;
    row.spark.clear();
    for (const WindowSummary& s : past) row.spark.push_back(s.count_of(r.key));
    if (with_current) row.spark.push_back(static_cast<int64_t>(r.count));
  }
}

void LiveView::window(const WindowResult& w) {
  if (w.final) {
    history_.add(w);
    fill(closed_, w, false);
    last_text_ = text_of(w, trend_, pal_.on);
    partial_text_.clear();
    running_.valid = false;  // until the next peek
  } else if (ending_) {
    partial_text_ += (partial_text_.empty() ? "" : "\n") + text_of(w, trend_, pal_.on);
  }
}

void LiveView::running(const WindowResult& w) {
  fill(running_, w, true);
}

void LiveView::table(std::vector<std::string>& lines, const Table& t, const char* what, size_t rows,
                     int columns) const {
  {
    std::string& out = lines.emplace_back();
    Line l(out, columns);
    l.add(what, pal_.bold(), pal_.reset());
    if (t.valid) {
      l.whole("  " + bounds(t.start, t.end), pal_.bold(), pal_.reset());
      l.whole(fmt::format("  {} record{},", t.records, t.records == 1 ? "" : "s"));
      l.whole(fmt::format(" {} key{}", t.keys, t.keys == 1 ? "" : "s"));
      if (t.max_error > 0)
        l.whole(fmt::format("  approximate: +{} at most", t.max_error), pal_.yellow(), pal_.reset());
    } else {
      l.whole("  (none yet)", pal_.dim(), pal_.reset());
    }
  }
  if (!t.valid) return;
  rows = std::min(rows, t.rows.size());
  if (rows == 0) {
    if (t.rows.empty()) {
      Line(lines.emplace_back(), columns).add("  (no keys)", pal_.dim(), pal_.reset());
    }
    return;
  }
  size_t rank_w = fmt::formatted_size("{}", rows), key_w = 3, count_w = 1, spark_w = 0;
  uint64_t max = 0;
  for (size_t i = 0; i < rows; ++i) {
    key_w = std::max(key_w, display_width(t.rows[i].key));
    count_w = std::max(count_w, fmt::formatted_size("{}", t.rows[i].count));
    spark_w = std::max(spark_w, t.rows[i].spark.size());
    max = std::max(max, t.rows[i].count);
  }
  auto cols = static_cast<size_t>(std::max(columns, 0));
  key_w = std::min(key_w, std::max<size_t>(8, cols / 3));
  spark_w = std::min<size_t>(spark_w, LiveView::kHistory);
  // rank, key, count, bar, move (5), sparkline, with two spaces between.
  size_t fixed = 1 + rank_w + 2 + key_w + 2 + count_w + 2 + 2 + 5 + 2 + spark_w;
  size_t bar_w = cols > fixed ? std::min<size_t>(cols - fixed, 40) : 0;
  for (size_t i = 0; i < rows; ++i) {
    const Row& r = t.rows[i];
    Line l(lines.emplace_back(), columns);
    l.add(fmt::format(" {:>{}}  ", i + 1, rank_w));
    size_t before = l.left();
    l.add(r.key);
    l.pad(key_w - std::min(key_w, before - l.left()));
    l.add("  ").add(fmt::format("{:>{}}", r.count, count_w), pal_.bold(), pal_.reset());
    if (bar_w > 0) {
      l.add("  ");
      std::string b = bar(r.count, max, bar_w);
      size_t at = l.left();
      l.add(b, pal_.cyan(), pal_.reset());
      l.pad(bar_w - std::min(bar_w, at - l.left()));
    }
    std::string mv = move_of(r.prev_rank, i + 1);
    const char* c = r.prev_rank == 0      ? pal_.yellow()
                    : mv[0] == '='        ? pal_.dim()
                    : r.prev_rank > i + 1 ? pal_.green()
                                          : pal_.red();
    l.add("  ").pad(5 - std::min<size_t>(5, display_width(mv))).add(mv, c, pal_.reset());
    if (spark_w > 0) l.add("  ").add(sparkline(r.spark, spark_w), pal_.blue(), pal_.reset());
  }
}

std::string LiveView::frame(const ViewStatus& st, int columns, int rows) const {
  std::vector<std::string> lines;
  {
    std::string& out = lines.emplace_back();
    out += pal_.inverse();
    Line l(out, columns);
    l.add(" trendtop ", pal_.bold(), pal_.on ? "\x1b[22m" : "");
    // "a.ndjson, listen 127.0.0.1:9999  ·  window 10s, slide 5s, event time": as many of the parts as fit
    // (the first source clipped if even it does not).
    auto parts = [&](std::string_view text, const char* first_sep, bool clip_first) {
      for (const char* sep = first_sep; !text.empty(); sep = ", ", clip_first = false) {
        size_t comma = text.find(", ");
        std::string part = fmt::format("{}{}", sep, text.substr(0, comma));
        clip_first ? l.add(part) : l.whole(part);
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 2);
      }
    };
    parts(st.sources, " ", true);
    parts(st.windowing, "  ·  ", false);
    l.pad(pal_.on ? l.left() : 0);  // the title bar across the screen
    out += pal_.reset();
  }
  {
    const Stats& s = st.stats;
    Line l(lines.emplace_back(), columns);
    l.add(" in ").add(human(records_per_s_), pal_.bold(), pal_.reset()).whole(" records/s");
    l.whole("  ").whole(fmt::format("{:.1f}", mb_per_s_), pal_.bold(), pal_.reset()).whole(" MB/s");
    if (st.total_bytes > 0)
      l.whole(fmt::format("  {:.0f}% of {:.1f} MB",
                          100.0 * static_cast<double>(std::min(s.bytes, st.total_bytes)) /
                              static_cast<double>(st.total_bytes),
                          static_cast<double>(st.total_bytes) / 1e6));
    l.whole(fmt::format("  read {:.1f} MB", static_cast<double>(s.bytes) / 1e6));
    l.whole(fmt::format("  windows {}", s.windows));
    l.whole(fmt::format("  connections {}", st.connections));
  }
  {
    const Stats& s = st.stats;
    Line l(lines.emplace_back(), columns);
    l.whole(fmt::format(" lines {}", human(static_cast<double>(s.lines))));
    l.whole(fmt::format("  counted {}", human(static_cast<double>(s.counted))));
    l.whole(fmt::format("  malformed {}", s.malformed), s.malformed ? pal_.yellow() : "", pal_.reset());
    l.whole(fmt::format("  late {}", s.late), s.late ? pal_.yellow() : "", pal_.reset());
    l.whole(fmt::format("  filtered {}", s.filtered));
    l.whole(fmt::format("  skipped {}", s.skipped));
    if (s.skewed > 0) l.whole(fmt::format("  skewed {}", s.skewed), pal_.yellow(), pal_.reset());
    if (!st.clocks.empty()) l.whole("  " + st.clocks);
  }
  // The last message said meanwhile (all of them are printed at the end).
  size_t fixed_lines = 7;
  {
    std::lock_guard lock(g_held_mutex);
    if (!g_held.empty()) {
      std::string_view last = g_held.back();
      if (last.starts_with("trendtop: ")) last.remove_prefix(10);  // the title says whose it is
      std::string safe;
      append_terminal_safe(safe, last);
      Line l(lines.emplace_back(), columns);
      l.add(" " + safe, pal_.yellow(), pal_.reset());
      if (size_t more = g_held.size() - 1 + g_held_more; more > 0)
        l.whole(fmt::format("  (+{} more, shown at exit)", more), pal_.dim(), pal_.reset());
      ++fixed_lines;
    }
  }
  lines.emplace_back();
  // What is left goes to the two tables: the open window first, at most half unless the other needs less.
  size_t avail = rows > static_cast<int>(fixed_lines) ? static_cast<size_t>(rows) - fixed_lines : 0;
  size_t closed_need = closed_.valid ? closed_.rows.size() : 0;
  size_t open_rows = std::min(running_.valid ? running_.rows.size() : 0,
                              std::max(avail / 2 + avail % 2, avail - std::min(avail, closed_need)));
  table(lines, running_, "open  ", open_rows, columns);
  lines.emplace_back();
  table(lines, closed_, "closed", avail - std::min(avail, open_rows), columns);
  // Home, each line over the last frame's (erasing its rest), then erase below. Never more lines than the
  // screen has, and no line break after the last: the screen must not scroll.
  std::string out = "\x1b[H";
  size_t n = std::min(lines.size(), static_cast<size_t>(std::max(rows, 1)));
  for (size_t i = 0; i < n; ++i) {
    out += lines[i];
    out += "\x1b[K";
    if (i + 1 < n) out += "\r\n";
  }
  out += "\x1b[J";
  return out;
}

void LiveView::draw(const ViewStatus& status) {
  if (!active_) return;
  const Stats& s = status.stats;
  if (last_ms_ >= 0 && status.now_ms > last_ms_) {
    double dt = static_cast<double>(status.now_ms - last_ms_) / 1000.0;
    records_per_s_ = static_cast<double>(s.lines - last_lines_) / dt;
    mb_per_s_ = static_cast<double>(s.bytes - last_bytes_) / dt / 1e6;
  }
  last_ms_ = status.now_ms;
  last_lines_ = s.lines;
  last_bytes_ = s.bytes;
  int columns = 80, rows = 24;
  terminal_size(fd_, columns, rows);
  std::string f = frame(status, columns, rows);
  write_all(fd_, f.data(), f.size());
}

void LiveView::end() {
  if (!active_) return;
  active_ = false;
  g_view_fd = -1;
  g_message_hook = nullptr;
  write_all(fd_, kLeave, sizeof kLeave - 1);
  // What was said meanwhile first, in order; then the windows, with a blank line between blocks.
  bool said = false;
  {
    std::lock_guard lock(g_held_mutex);
    for (const std::string& m : g_held) say(m);
    if (g_held_more > 0) warn(fmt::format("({} more messages not shown)", g_held_more));
    said = !g_held.empty();
    g_held.clear();
    g_held_more = 0;
  }
  std::fflush(stderr);
  std::string out = said && !last_text_.empty() ? "\n" : "";
  out += last_text_;
  if (!partial_text_.empty()) out += (last_text_.empty() ? "" : "\n") + partial_text_;
  write_all(fd_, out.data(), out.size());
  for (int sig : {SIGWINCH, SIGTSTP}) std::signal(sig, SIG_DFL);
}

}  // namespace trendtop
