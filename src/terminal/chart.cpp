#include "terminal/chart.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "terminal/term.h"
#include "util/timefmt.h"

namespace trendtop {

namespace {

// Tableau 10: told apart by most eyes, also in print.
constexpr const char* kColors[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                   "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

constexpr double kWidth = 960, kHeight = 540;
constexpr double kLeft = 70, kRight = 240, kTop = 50, kBottom = 60;

std::string iso(int64_t ms) {
  fmt::memory_buffer b;
  append_rfc3339(b, ms);
  return std::string(b.data(), b.size());
}

// A step of 1, 2 or 5 times a power of ten giving about `ticks` ticks up to `max`.
double nice_step(double max, int ticks) {
  double raw = max / ticks;
  double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * p) return m * p;
  return 10 * p;
}

// A tick interval for a span of time: the first from the list giving at most 8 ticks.
int64_t time_step(int64_t span) {
  static constexpr int64_t kSteps[] = {1'000,      2'000,      5'000,      10'000,      15'000,
                                       30'000,     60'000,     120'000,    300'000,     600'000,
                                       900'000,    1'800'000,  3'600'000,  7'200'000,   10'800'000,
                                       21'600'000, 43'200'000, 86'400'000, 172'800'000, 604'800'000};
  for (int64_t s : kSteps)
    if (span / s <= 8) return s;
  int64_t s = 604'800'000;
  while (span / s > 8) s *= 2;
  return s;
}

}  // namespace

void append_xml_text(std::string& out, std::string_view s) {
  std::string safe;
  append_terminal_safe(safe, s);
  for (char c : safe) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.push_back(c);
    }
  }
}

std::string chart_svg(const History& history, size_t max_keys) {
  const auto& ws = history.windows();
  // The keys with the most records over the windows shown (ties: bytewise order), and their last spelling.
  std::map<std::string, std::pair<uint64_t, std::string>> totals;
  for (const WindowSummary& w : ws)
    for (const WindowSummary::Key& k : w.top) {
      auto& t = totals[k.key];
      t.first += k.count;
      t.second = k.display;
    }
  std::vector<std::pair<uint64_t, std::string>> order;
  for (const auto& [key, t] : totals) order.emplace_back(t.first, key);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  if (order.size() > max_keys) order.resize(max_keys);

  int64_t t0 = ws.empty() ? 0 : ws.front().start, t1 = ws.empty() ? 1 : ws.back().start;
  if (t1 <= t0) t1 = t0 + (ws.empty() ? 1 : ws.front().end - ws.front().start);
  uint64_t max = 1;
  for (const WindowSummary& w : ws)
    for (const auto& [total, key] : order) max = std::max<int64_t>(max, w.count_of(key));
  double ystep = nice_step(static_cast<double>(max), 5);
  double ymax = std::ceil(static_cast<double>(max) / ystep) * ystep;
  double pw = kWidth - kLeft - kRight, ph = kHeight - kTop - kBottom;
  auto x = [&](int64_t t) { return kLeft + pw * static_cast<double>(t - t0) / static_cast<double>(t1 - t0); };
  auto y = [&](double v) { return kTop + ph - ph * v / ymax; };

  std::string out;
  auto put = [&]<typename... T>(fmt::format_string<T...> f, T&&... args) {
    fmt::format_to(std::back_inserter(out), f, std::forward<T>(args)...);
  };
  put("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  put("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"DejaVu Sans, Verdana, sans-serif\" font-size=\"12\">\n",
      kWidth, kHeight);
  put("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
  out += "<text x=\"70\" y=\"28\" font-size=\"16\" font-weight=\"bold\">";
  if (ws.empty()) {
    out += "trendtop: no window closed yet";
  } else {
    std::string from = iso(ws.front().start), to = iso(ws.back().end);
    put("trendtop: top {} keys per window, {} {} .. {}{} UTC", order.size(), from.substr(0, 10),
        from.substr(11, from.size() - 12),
        to.substr(0, 10) == from.substr(0, 10) ? "" : to.substr(0, 10) + " ", to.substr(11, to.size() - 12));
  }
  out += "</text>\n";
  // Axes, grid and ticks.
  put("<g stroke=\"#dddddd\" stroke-width=\"1\">\n");
  for (double v = 0; v <= ymax + ystep / 2; v += ystep)
    put("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>\n", kLeft, y(v), kLeft + pw, y(v));
  put("</g>\n<g text-anchor=\"end\" fill=\"#333333\">\n");
  for (double v = 0; v <= ymax + ystep / 2; v += ystep)
    put("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", kLeft - 6, y(v) + 4, static_cast<uint64_t>(v));
  put("</g>\n");
  put("<text x=\"18\" y=\"{:.1f}\" transform=\"rotate(-90 18 {:.1f})\" text-anchor=\"middle\">count per "
      "window</text>\n",
      kTop + ph / 2, kTop + ph / 2);
  int64_t step = time_step(t1 - t0);
  bool with_date = step >= 86'400'000 || floor_div(t0, 86'400'000) != floor_div(t1, 86'400'000);
  put("<g text-anchor=\"middle\" fill=\"#333333\">\n");
  for (int64_t t = floor_to(t0, step); t <= t1; t += step) {
    if (t < t0) continue;
    std::string label = iso(t);  // 2021-01-01T07:29:00Z
    std::string shown = step >= 86'400'000 ? label.substr(0, 10)
                        : step >= 60'000   ? label.substr(11, 5)
                                           : label.substr(11, 8);
    put("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#999999\"/>\n", x(t),
        kTop + ph, kTop + ph + 5);
    put("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", x(t), kTop + ph + 18, shown);
    if (with_date && step < 86'400'000)
      put("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\">{}</text>\n", x(t), kTop + ph + 31,
          label.substr(0, 10));
  }
  put("</g>\n");
  put("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">window start (UTC)</text>\n", kLeft + pw / 2,
      kHeight - 12);
  put("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#333333\"/>\n", kLeft, kTop, kTop + ph);
  put("<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"#333333\"/>\n", kLeft, kLeft + pw,
      kTop + ph);

  // One line per key, broken where the key was not ranked; a dot on every point (a lone point shows too).
  for (size_t i = 0; i < order.size(); ++i) {
    const std::string& key = order[i].second;
    const char* color = kColors[i % std::size(kColors)];
    put("<g class=\"series\" stroke=\"{0}\" fill=\"{0}\">\n", color);
    std::string path;
    bool pen = false;
    for (const WindowSummary& w : ws) {
      int64_t c = w.count_of(key);
      if (c < 0) {
        pen = false;
        continue;
      }
      fmt::format_to(std::back_inserter(path), "{}{:.1f},{:.1f} ", pen ? "L" : "M", x(w.start),
                     y(static_cast<double>(c)));
      put("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\" stroke=\"none\"/>\n", x(w.start),
          y(static_cast<double>(c)));
      pen = true;
    }
    if (!path.empty()) {
      path.pop_back();
      put("<path d=\"{}\" fill=\"none\" stroke-width=\"2\"/>\n", path);
    }
    put("</g>\n");
    // The legend: the key as last shown, and its records over the chart.
    double ly = kTop + 8 + 20.0 * static_cast<double>(i);
    put("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"{3}\" "
        "stroke-width=\"3\"/>\n",
        kLeft + pw + 15, ly, kLeft + pw + 35, color);
    put("<text class=\"legend\" x=\"{:.1f}\" y=\"{:.1f}\">", kLeft + pw + 42, ly + 4);
    // Long keys are cut to fit the legend's column.
    std::string label;
    append_clipped(label, totals[key].second, 20, false);
    if (label.size() < totals[key].second.size()) label += "\u2026";
    append_xml_text(out, label);
    put(" ({})</text>\n", order[i].first);
  }
  put("</svg>\n");
  return out;
}

bool write_file_atomic(const std::string& path, std::string_view content, std::string& error) {
  std::string tmp = fmt::format("{}.tmp.{}", path, getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = fmt::format("cannot write '{}': {}", path, std::strerror(errno));
    return false;
  }
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = fmt::format("cannot write '{}': {}", path, std::strerror(errno));
      ::close(fd);
      ::unlink(tmp.c_str());
      return false;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::close(fd) != 0 || std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = fmt::format("cannot write '{}': {}", path, std::strerror(errno));
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

void Chart::window(const WindowResult& w) {
  if (!w.final) return;
  history_.add(w);
  dirty_ = true;
}

bool Chart::probe(std::string& error) const {
  std::string tmp = fmt::format("{}.tmp.{}", path_, getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {  // named as the user gave it: the temporary file beside it is ours
    error = fmt::format("cannot write '{}': {}", path_, std::strerror(errno));
    return false;
  }
  ::close(fd);
  ::unlink(tmp.c_str());
  return true;
}

bool Chart::write(std::string& error) {
  dirty_ = false;
  return write_file_atomic(path_, chart_svg(history_, kKeys), error);
}

}  // namespace trendtop
