#include "output/sink.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>
#include <vector>

#include <utf8proc.h>

#include "util/escape.h"
#include "util/timefmt.h"

namespace trendtop {

namespace {
// For people, a key in its most frequent spelling (#RedVelvet rather than #redvelvet).
std::string_view shown(const RankedKey& r) {
  return r.display.empty() ? r.key : r.display;
}

// 128 bits: counts use all 64 (a merge of big partial streams), and their difference needs a sign besides.
__int128 delta(const RankedKey& r) {
  return static_cast<__int128>(r.count) - static_cast<__int128>(r.prev);
}
// Places moved up since the previous window (negative: down); only for keys ranked there.
int64_t rank_change(const RankedKey& r, size_t rank) {
  return static_cast<int64_t>(r.prev_rank) - static_cast<int64_t>(rank);
}
// Scores and baselines with two decimals, and never "-0.00".
double two_places(double v) {
  return std::abs(v) < 0.005 ? 0.0 : v;
}
}  // namespace

namespace {

void append(fmt::memory_buffer& out, std::string_view s) {
  out.append(s.data(), s.data() + s.size());
}

class TextSink final : public Sink {
 public:
  TextSink(bool trend, bool color) : trend_(trend), color_(color) {}
  void window(const WindowResult& w, fmt::memory_buffer& out) override {
    if (!first_) out.push_back('\n');
    first_ = false;
    // Every coloured line ends its colour before its line break, so a reader that stops after any line
    // (`| head -1`) leaves the terminal as it was.
    if (color_) append(out, "\x1b[1m");  // the window's line in bold
    append_window_bounds(out, w.start, w.end);
    fmt::format_to(std::back_inserter(out), "  {} record{}, {} key{}{}", w.records, w.records == 1 ? "" : "s",
                   w.keys, w.keys == 1 ? "" : "s", w.final ? "" : "  (partial)");
    if (w.max_error > 0)
      fmt::format_to(std::back_inserter(out), "  (approximate: counts over by at most {})", w.max_error);
    append(out, color_ ? "\x1b[0m\n" : "\n");
    if (w.top.empty()) {
      append(out, "      (no keys)\n");
      return;
    }
    // Keys as a terminal can show them: a control character from the input (a newline with --extract
    // split, an ESC sequence in a tweet) is escaped as the live view does, never written raw.
    if (safe_.size() < w.top.size()) safe_.resize(w.top.size());
    for (size_t i = 0; i < w.top.size(); ++i) {
      safe_[i].clear();
      append_terminal_safe(safe_[i], shown(w.top[i]));
    }
    size_t rank_width = fmt::formatted_size("{}", w.top.size());
    size_t key_width = 0, count_width = 0, score_width = 0, delta_width = 0;
    for (size_t i = 0; i < w.top.size(); ++i) {
      const RankedKey& r = w.top[i];
      key_width = std::max(key_width, display_width(safe_[i]));
      count_width = std::max(count_width, fmt::formatted_size("{}", r.count));
      score_width = std::max(score_width, fmt::formatted_size("{:.1f}", two_places(r.score)));
      delta_width = std::max(delta_width, fmt::formatted_size("{:+}", delta(r)));
    }
    size_t rank = 0;
    for (const RankedKey& r : w.top) {
      const std::string& key = safe_[rank];
      fmt::format_to(std::back_inserter(out), "  {:>{}}  ", ++rank, rank_width);
      append(out, key);
      // Pad by display width, not bytes, so CJK keys line up.
      for (size_t pad = display_width(key); pad < key_width; ++pad) out.push_back(' ');
      fmt::format_to(std::back_inserter(out), "  {:>{}}", r.count, count_width);
      if (trend_) fmt::format_to(std::back_inserter(out), "  z={:>{}.1f}", two_places(r.score), score_width);
      // What changed since the previous window: the count, and the rank (new: not ranked there).
      fmt::format_to(std::back_inserter(out), "  {:>{}}  ", fmt::format("{:+}", delta(r)), delta_width);
      int64_t moved = rank_change(r, rank);
      // Colour: new yellow, up green, down red.
      if (color_ && moved != 0)
        append(out, r.prev_rank == 0 ? "\x1b[33m" : moved > 0 ? "\x1b[32m" : "\x1b[31m");
      if (r.prev_rank == 0) {
        append(out, "new");
      } else if (moved == 0) {
        append(out, "=");
      } else {
        fmt::format_to(std::back_inserter(out), "{}{}", moved > 0 ? "\u2191" : "\u2193", std::abs(moved));
      }
      if (color_ && moved != 0) append(out, "\x1b[0m");
      out.push_back('\n');
    }
  }

 private:
  std::vector<std::string> safe_;  // the window's keys, terminal-safe (reused)
  bool first_ = true;
  bool trend_;
  bool color_;
};

// prev, delta, rank_change (a number, or "new") [, score, baseline]: the columns after count.
void append_changes(fmt::memory_buffer& out, const RankedKey& r, size_t rank, bool trend, char sep) {
  fmt::format_to(std::back_inserter(out), "{}{}{}{}{}", sep, r.prev, sep, delta(r), sep);
  if (r.prev_rank == 0) {
    append(out, "new");
  } else {
    fmt::format_to(std::back_inserter(out), "{}", rank_change(r, rank));
  }
  if (trend)
    fmt::format_to(std::back_inserter(out), "{}{:.2f}{}{:.2f}", sep, two_places(r.score), sep,
                   two_places(r.baseline));
}

class TsvSink final : public Sink {
 public:
  TsvSink(bool final_column, bool trend) : final_column_(final_column), trend_(trend) {}
  bool marks_partial() const override { return final_column_; }
  bool marks_approximate() const override { return false; }
  void window(const WindowResult& w, fmt::memory_buffer& out) override {
    size_t rank = 0;
    for (const RankedKey& r : w.top) {
      append_rfc3339(out, w.start);
      out.push_back('\t');
      append_rfc3339(out, w.end);
      fmt::format_to(std::back_inserter(out), "\t{}\t", ++rank);
      append_tsv_field(out, r.key);
      fmt::format_to(std::back_inserter(out), "\t{}", r.count);
      append_changes(out, r, rank, trend_, '\t');
      if (final_column_) append(out, w.final ? "\ttrue" : "\tfalse");
      out.push_back('\n');
    }
  }

 private:
  bool final_column_;
  bool trend_;
};

class CsvSink final : public Sink {
 public:
  CsvSink(bool final_column, bool trend) : final_column_(final_column), trend_(trend) {}
  bool marks_partial() const override { return final_column_; }
  bool marks_approximate() const override { return false; }
  void begin(fmt::memory_buffer& out) override {
    append(out, "window_start,window_end,rank,key,count,prev,delta,rank_change");
    if (trend_) append(out, ",score,baseline");
    append(out, final_column_ ? ",final\r\n" : "\r\n");
  }
  void window(const WindowResult& w, fmt::memory_buffer& out) override {
    size_t rank = 0;
    for (const RankedKey& r : w.top) {
      append_rfc3339(out, w.start);
      out.push_back(',');
      append_rfc3339(out, w.end);
      fmt::format_to(std::back_inserter(out), ",{},", ++rank);
      append_csv_field(out, r.key);
      fmt::format_to(std::back_inserter(out), ",{}", r.count);
      append_changes(out, r, rank, trend_, ',');
      if (final_column_) append(out, w.final ? ",true" : ",false");
      append(out, "\r\n");
    }
  }

 private:
  bool final_column_;
  bool trend_;
};

class JsonSink final : public Sink {
 public:
  explicit JsonSink(bool trend) : trend_(trend) {}
  void window(const WindowResult& w, fmt::memory_buffer& out) override {
    append(out, "{\"window_start\":\"");
    append_rfc3339(out, w.start);
    append(out, "\",\"window_end\":\"");
    append_rfc3339(out, w.end);
    fmt::format_to(std::back_inserter(out), "\",\"records\":{},\"keys\":{},\"final\":{},", w.records, w.keys,
                   w.final);
    if (w.max_error > 0)
      fmt::format_to(std::back_inserter(out), "\"approximate\":true,\"max_error\":{},", w.max_error);
    append(out, "\"top\":[");
    bool comma = false;
    size_t rank = 0;
    for (const RankedKey& r : w.top) {
      ++rank;
      if (comma) out.push_back(',');
      comma = true;
      append(out, "{\"key\":");
      append_json_string(out, r.key);
      if (!r.display.empty()) {
        append(out, ",\"display\":");
        append_json_string(out, r.display);
      }
      fmt::format_to(std::back_inserter(out),
                     ",\"count\":{},\"prev\":{},\"delta\":{},\"rank_change\":", r.count, r.prev, delta(r));
      if (r.prev_rank == 0) {
        append(out, "null,\"new\":true");
      } else {
        fmt::format_to(std::back_inserter(out), "{},\"new\":false", rank_change(r, rank));
      }
      if (trend_)
        fmt::format_to(std::back_inserter(out), ",\"score\":{:.2f},\"baseline\":{:.2f}", two_places(r.score),
                       two_places(r.baseline));
      out.push_back('}');
    }
    append(out, "]}\n");
  }

 private:
  bool trend_;
};

}  // namespace

std::unique_ptr<Sink> make_sink(OutputFormat format, bool final_column, bool trend, bool color) {
  switch (format) {
    case OutputFormat::Tsv:
      return std::make_unique<TsvSink>(final_column, trend);
    case OutputFormat::Csv:
      return std::make_unique<CsvSink>(final_column, trend);
    case OutputFormat::Json:
      return std::make_unique<JsonSink>(trend);
    case OutputFormat::Text:
    case OutputFormat::Partial:  // not a sink: the pipeline writes partial.h's lines itself
      break;
  }
  return std::make_unique<TextSink>(trend, color);
}

void append_json_string(fmt::memory_buffer& out, std::string_view s) {
  out.push_back('"');
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      append(out, "\\n");
    } else if (c == '\t') {
      append(out, "\\t");
    } else if (c == '\r') {
      append(out, "\\r");
    } else if (u < 0x20 || u == 0x7f) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", u);
    } else if (u == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xa0) {
      // A C1 control (U+0080..U+009F, C2 80..C2 9F): valid in JSON, but jq -r would write it raw.
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned char>(s[++i]));
    } else {
      out.push_back(c);  // keys are valid UTF-8: written as is
    }
  }
  out.push_back('"');
}

namespace {
// The control characters the TSV and CSV fields write as \xNN: C0 but tab, newline and return (each
// format's own escapes handle those), DEL, and C1 (U+0080..U+009F, C2 80..C2 9F in UTF-8). Returns the bytes
// taken from s at i (1 or 2), or 0 when s[i] starts no such control.
size_t control_at(std::string_view s, size_t i) {
  auto u = static_cast<unsigned char>(s[i]);
  if ((u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7f) return 1;
  if (u == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
      static_cast<unsigned char>(s[i + 1]) < 0xa0)
    return 2;
  return 0;
}
void append_hex_escape(fmt::memory_buffer& out, std::string_view s, size_t i, size_t n) {
  fmt::format_to(std::back_inserter(out), "\\x{:02x}", static_cast<unsigned char>(s[i + n - 1]));
}
}  // namespace

void append_csv_field(fmt::memory_buffer& out, std::string_view s) {
  bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos;
  bool controls = false;
  for (size_t i = 0; i < s.size() && !controls; ++i) controls = control_at(s, i) > 0;
  if (!quote && !controls) {
    append(out, s);
    return;
  }
  if (quote) out.push_back('"');
  for (size_t i = 0; i < s.size(); ++i) {
    if (size_t n = control_at(s, i); n > 0) {
      append_hex_escape(out, s, i, n);  // CSV has no escapes of its own: as text output shows it
      i += n - 1;
      continue;
    }
    if (s[i] == '"') out.push_back('"');
    out.push_back(s[i]);
  }
  if (quote) out.push_back('"');
}

void append_tsv_field(fmt::memory_buffer& out, std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    switch (c) {
      case '\t':
        append(out, "\\t");
        break;
      case '\n':
        append(out, "\\n");
        break;
      case '\r':
        append(out, "\\r");
        break;
      case '\\':
        append(out, "\\\\");
        break;
      default:
        if (size_t n = control_at(s, i); n > 0) {
          append_hex_escape(out, s, i, n);
          i += n - 1;
        } else {
          out.push_back(c);
        }
    }
  }
}

size_t display_width(std::string_view s) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  auto left = static_cast<utf8proc_ssize_t>(s.size());
  size_t width = 0;
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return width + static_cast<size_t>(left);
    width += static_cast<size_t>(std::max(0, utf8proc_charwidth(cp)));
    p += n;
    left -= n;
  }
  return width;
}

}  // namespace trendtop
