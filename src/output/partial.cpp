#include "output/partial.h"

#include <algorithm>
#include <iterator>

#include "extract/extract.h"
#include "output/sink.h"
#include "util/clock.h"
#include "util/duration.h"

namespace trendtop {

namespace {
void append(fmt::memory_buffer& out, std::string_view s) {
  out.append(s.data(), s.data() + s.size());
}
}  // namespace

void PartialWriter::header(const PartialHeader& h, fmt::memory_buffer& out) const {
  auto str = [&](std::string_view name, std::string_view value) {
    fmt::format_to(std::back_inserter(out), ",\"{}\":", name);
    append_json_string(out, value);
  };
  auto list = [&](std::string_view name, const std::vector<std::string>& values) {
    fmt::format_to(std::back_inserter(out), ",\"{}\":[", name);
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out.push_back(',');
      append_json_string(out, values[i]);
    }
    out.push_back(']');
  };
  fmt::format_to(std::back_inserter(out), "{{\"t\":\"header\",\"format\":\"trendtop-partial\",\"version\":{}",
                 kPartialVersion);
  str("run", h.run);
  fmt::format_to(std::back_inserter(out), ",\"segment\":{}", h.segment);
  str("source", h.source);
  fmt::format_to(std::back_inserter(out),
                 ",\"window_ms\":{},\"slide_ms\":{},\"lateness_ms\":{},\"max_skew_ms\":{}", h.window_ms,
                 h.slide_ms, h.lateness_ms, h.max_skew_ms);
  str("time", h.time);
  str("keys", h.keys);
  str("extract", h.extract);
  str("count", h.count);
  str("case", h.case_mode);
  str("schema", h.schema);
  str("key_field", h.key_field);
  str("text_field", h.text_field);
  str("time_field", h.time_field);
  str("user_field", h.user_field);
  fmt::format_to(std::back_inserter(out), ",\"max_line\":{}", h.max_line);
  if (h.max_keys) fmt::format_to(std::back_inserter(out), ",\"max_keys\":{}", *h.max_keys);
  list("track", h.track);
  list("lang", h.lang);
  fmt::format_to(std::back_inserter(out), ",\"no_retweets\":{}", h.no_retweets);
  str("exclude", h.exclude);
  str("stopwords", h.stopwords);
  append(out, "}\n");
}

namespace {
std::string bytes_text(uint64_t n) {
  for (auto [unit, shift] : {std::pair{'G', 30}, {'M', 20}, {'K', 10}})
    if (n >= (uint64_t{1} << shift) && n % (uint64_t{1} << shift) == 0)
      return fmt::format("{}{}", n >> shift, unit);
  return fmt::format("{}", n);
}
std::string quoted_list(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += fmt::format("{}'{}'", out.empty() ? "" : ", ", v);
  return out;
}
}  // namespace

std::vector<std::string> describe_settings(const PartialHeader& h) {
  auto given = [](std::string_view option, const std::string& value) {
    return value.empty() ? fmt::format("no {}", option) : fmt::format("{} {}", option, value);
  };
  // The sources of the records' fields first: a different --time-field is the cause of a different --time.
  return {
      fmt::format("--window {}", format_duration(h.window_ms)),
      fmt::format("--slide {}", format_duration(h.slide_ms)),
      fmt::format("--schema {}", h.schema),
      given("--key-field", h.key_field),
      given("--text-field", h.text_field),
      given("--time-field", h.time_field),
      given("--user-field", h.user_field),
      fmt::format("--time {}", h.time),
      fmt::format("--lateness {}", format_duration(h.lateness_ms)),
      fmt::format("--max-skew {}", format_duration(h.max_skew_ms)),
      fmt::format("--keys {}", h.keys),
      fmt::format("--extract {}", h.extract),
      fmt::format("--count {}", h.count),
      fmt::format("--case {}", h.case_mode),
      fmt::format("--max-line {}", bytes_text(h.max_line)),
      given("--track", quoted_list(h.track)),
      given("--lang", quoted_list(h.lang)),
      h.no_retweets ? std::string("--no-retweets") : std::string("no --no-retweets"),
      h.exclude.empty() ? std::string("no --exclude/--exclude-file")
                        : fmt::format("--exclude/--exclude-file ({})", h.exclude),
      h.stopwords.empty() ? std::string("no --stopwords") : fmt::format("--stopwords ({})", h.stopwords),
  };
}

void PartialWriter::window(const ClosedWindow& w, bool users, fmt::memory_buffer& out) {
  counts_.clear();
  spellings_.clear();
  authors_.clear();
  if (users) {
    per_key_.clear();
    w.counts.for_each([&](std::string_view k, uint64_t n) {
      if (!k.empty() && k[0] == kSpellingMark) {  // per record, as without --count users
        size_t us = k.find('\x1f');
        if (us != std::string_view::npos) spellings_.emplace_back(k.substr(1, us - 1), k.substr(us + 1), n);
        return;
      }
      size_t us = k.rfind('\x1f');
      std::string_view key = k.substr(0, us);
      per_key_.add(key);
      authors_.emplace_back(key, us == std::string_view::npos ? std::string_view{} : k.substr(us + 1));
    });
    per_key_.for_each([&](std::string_view k, uint64_t n) { counts_.emplace_back(k, n); });
  } else {
    // A sliding window over summaries credits each key the floors of the panes that do not list it
    // (count/totals.h): its count here is the window's, at least the true one, as merge expects.
    w.counts.for_each([&](std::string_view k, uint64_t n) {
      if (k.empty() || k[0] != kSpellingMark) return counts_.emplace_back(k, n + w.credit), void();
      size_t us = k.find('\x1f');
      if (us != std::string_view::npos) spellings_.emplace_back(k.substr(1, us - 1), k.substr(us + 1), n);
    });
  }
  // Deterministic: the same window always reads the same, whatever the map's layout.
  std::sort(counts_.begin(), counts_.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::sort(spellings_.begin(), spellings_.end());
  std::sort(authors_.begin(), authors_.end());

  fmt::format_to(std::back_inserter(out),
                 "{{\"t\":\"window\",\"start\":{},\"end\":{},\"records\":{},\"keys\":{},\"exact\":{},",
                 w.start, w.end, w.records, counts_.size(), w.max_error == 0);
  // --max-keys made it a heavy-hitter summary: every count is over by at most this.
  if (w.max_error > 0) fmt::format_to(std::back_inserter(out), "\"error\":{},", w.max_error);
  append(out, "\"counts\":[");
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('[');
    append_json_string(out, counts_[i].first);
    fmt::format_to(std::back_inserter(out), ",{}]", counts_[i].second);
  }
  out.push_back(']');
  if (!spellings_.empty()) {
    append(out, ",\"spellings\":[");
    for (size_t i = 0; i < spellings_.size(); ++i) {
      if (i > 0) out.push_back(',');
      out.push_back('[');
      append_json_string(out, std::get<0>(spellings_[i]));
      out.push_back(',');
      append_json_string(out, std::get<1>(spellings_[i]));
      fmt::format_to(std::back_inserter(out), ",{}]", std::get<2>(spellings_[i]));
    }
    out.push_back(']');
  }
  if (users) {
    append(out, ",\"authors\":[");
    for (size_t i = 0; i < authors_.size(); ++i) {
      if (i > 0) out.push_back(',');
      out.push_back('[');
      append_json_string(out, authors_[i].first);
      out.push_back(',');
      append_json_string(out, authors_[i].second);
      out.push_back(']');
    }
    out.push_back(']');
  }
  append(out, "}\n");
}

void PartialWriter::end(uint64_t windows, uint64_t open, fmt::memory_buffer& out) const {
  fmt::format_to(std::back_inserter(out), "{{\"t\":\"end\",\"windows\":{},\"open\":{}}}\n", windows, open);
}

namespace {
using namespace simdjson;

bool get_u64(ondemand::value v, uint64_t& out) {
  return v.get_uint64().get(out) == SUCCESS;
}
bool get_i64(ondemand::value v, int64_t& out) {
  return v.get_int64().get(out) == SUCCESS;
}
bool get_str(ondemand::value v, std::string_view& out) {
  return v.get_string().get(out) == SUCCESS;
}

// [[s, n], ...], [[s, s, n], ...] or [[s, s], ...]: `strings` strings then, when `with_count`, a count >= 1.
template <typename F>
bool read_rows(ondemand::value v, size_t strings, bool with_count, F&& row) {
  ondemand::array rows;
  if (v.get_array().get(rows) != SUCCESS) return false;
  for (auto r : rows) {
    ondemand::array cells;
    if (r.get_array().get(cells) != SUCCESS) return false;
    std::string_view s[2];
    uint64_t n = 1;
    size_t i = 0;
    for (auto c : cells) {
      ondemand::value cv;
      if (c.get(cv) != SUCCESS) return false;
      if (i < strings) {
        if (!get_str(cv, s[i])) return false;
      } else if (i == strings && with_count) {
        if (!get_u64(cv, n) || n == 0) return false;
      } else {
        return false;
      }
      ++i;
    }
    if (i != strings + (with_count ? 1 : 0)) return false;
    row(s[0], s[1], n);
  }
  return true;
}
}  // namespace

bool PartialParser::parse(std::string_view line, PartialLine& out, std::string& why) {
  buf_.assign(line);
  buf_.reserve(line.size() + SIMDJSON_PADDING);
  ondemand::document doc;
  ondemand::object obj;
  if (parser_.iterate(buf_.data(), buf_.size(), buf_.capacity()).get(doc) != SUCCESS ||
      doc.get_object().get(obj) != SUCCESS) {
    why = "not a JSON object";
    return false;
  }
  out = PartialLine{};
  out.header = {};
  out.header.version = 0;
  std::string_view type;
  bool has_start = false, has_end = false, has_counts = false;
  for (auto field : obj) {
    std::string_view name;
    ondemand::value v;
    if (field.unescaped_key().get(name) != SUCCESS || field.value().get(v) != SUCCESS) {
      why = "not a JSON object";
      return false;
    }
    bool ok = true;
    if (name == "t") {
      ok = get_str(v, type);
      if (type == "header")
        out.kind = PartialLine::Kind::Header;
      else if (type == "window")
        out.kind = PartialLine::Kind::Window;
      else if (type == "end")
        out.kind = PartialLine::Kind::End;
      else
        ok = false;
    } else if (name == "version") {
      ok = get_u64(v, out.header.version);
    } else if (name == "window_ms") {
      ok = get_i64(v, out.header.window_ms);
    } else if (name == "slide_ms") {
      ok = get_i64(v, out.header.slide_ms);
    } else if (name == "max_skew_ms") {
      ok = get_i64(v, out.header.max_skew_ms);
    } else if (name == "lateness_ms") {
      ok = get_i64(v, out.header.lateness_ms);
    } else if (std::string* dst = name == "time"         ? &out.header.time
                                  : name == "keys"       ? &out.header.keys
                                  : name == "count"      ? &out.header.count
                                  : name == "case"       ? &out.header.case_mode
                                  : name == "extract"    ? &out.header.extract
                                  : name == "schema"     ? &out.header.schema
                                  : name == "key_field"  ? &out.header.key_field
                                  : name == "text_field" ? &out.header.text_field
                                  : name == "time_field" ? &out.header.time_field
                                  : name == "user_field" ? &out.header.user_field
                                  : name == "exclude"    ? &out.header.exclude
                                  : name == "stopwords"  ? &out.header.stopwords
                                  : name == "run"        ? &out.header.run
                                  : name == "source"     ? &out.header.source
                                                         : nullptr) {
      std::string_view s;
      // "keys" is a string in the header, a number in a window.
      ondemand::json_type jt;
      if (name == "keys" && v.type().get(jt) == SUCCESS && jt == ondemand::json_type::number) continue;
      ok = get_str(v, s);
      dst->assign(s);
    } else if (name == "segment") {
      ok = get_u64(v, out.header.segment);
    } else if (name == "max_line") {
      ok = get_u64(v, out.header.max_line);
    } else if (name == "max_keys") {
      uint64_t n = 0;
      ok = get_u64(v, n);
      out.header.max_keys = n;
    } else if (name == "no_retweets") {
      ok = v.get_bool().get(out.header.no_retweets) == SUCCESS;
    } else if (name == "track" || name == "lang") {
      std::vector<std::string>& dst = name == "track" ? out.header.track : out.header.lang;
      ondemand::array items;
      ok = v.get_array().get(items) == SUCCESS;
      if (ok) {
        for (auto item : items) {
          std::string_view s;
          ondemand::value iv;
          if (item.get(iv) != SUCCESS || !get_str(iv, s)) {
            ok = false;
            break;
          }
          dst.emplace_back(s);
        }
      }
    } else if (name == "start") {
      ok = has_start = get_i64(v, out.start);
    } else if (name == "end") {
      ok = has_end = get_i64(v, out.end);
    } else if (name == "records") {
      ok = get_u64(v, out.records);
    } else if (name == "exact") {
      ok = v.get_bool().get(out.exact) == SUCCESS;
    } else if (name == "error") {
      ok = get_u64(v, out.error);
    } else if (name == "windows") {
      ok = get_u64(v, out.windows);
    } else if (name == "open") {
      ok = get_u64(v, out.open);
    } else if (name == "counts") {
      has_counts = true;
      ok = read_rows(v, 1, true, [&](std::string_view k, std::string_view, uint64_t n) {
        out.counts.emplace_back(k, n);
      });
    } else if (name == "spellings") {
      ok = read_rows(v, 2, true, [&](std::string_view k, std::string_view s, uint64_t n) {
        out.spellings.emplace_back(k, s, n);
      });
    } else if (name == "authors") {
      ok = read_rows(v, 2, false, [&](std::string_view k, std::string_view a, uint64_t) {
        out.authors.emplace_back(k, a);
      });
    } else if (name == "created_at" || name == "text" || name == "id_str" || name == "data" ||
               name == "user" || name == "commit" || name == "content" || name == "account") {
      out.record_like = true;  // a tweet, post or status: someone gave merge the input, not partial results
    }                          // other fields: ignored (later minor additions)
    if (!ok) {
      why = fmt::format("bad field \"{}\"", name);
      return false;
    }
  }
  if (type.empty()) {
    why = "no \"t\" field";
    return false;
  }
  // Durations as trendtop takes them (at most kMaxDuration), times near those a record may carry: what the
  // merge computes with them stays far from int64's limits.
  auto duration = [](int64_t d, bool zero) { return (zero ? d >= 0 : d > 0) && d <= kMaxDuration; };
  auto time = [](int64_t t) { return t >= kMinTime - 2 * kMaxDuration && t <= kMaxTime + 2 * kMaxDuration; };
  if (out.kind == PartialLine::Kind::Header) {
    if (out.header.version == 0 || !duration(out.header.window_ms, false) ||
        !duration(out.header.slide_ms, false) || out.header.window_ms % out.header.slide_ms != 0 ||
        !duration(out.header.lateness_ms, true) || !duration(out.header.max_skew_ms, true)) {
      why = "header without a version, or with a bad window, slide, lateness or skew";
      return false;
    }
  } else if (out.kind == PartialLine::Kind::Window && (!has_start || !has_end || !has_counts)) {
    why = "window without start, end or counts";
    return false;
  } else if (out.kind == PartialLine::Kind::Window && (!time(out.start) || !time(out.end))) {
    why = "window start or end beyond the years 0000..9999";
    return false;
  }
  return true;
}

bool add_partial_counts(const PartialLine& w, bool users, CountMap& into, std::string& scratch) {
  if (users) {
    // Distinct authors: one entry per (key, author), counted by the pipeline as the window is printed.
    for (const auto& [key, author] : w.authors) {
      scratch.assign(key);
      scratch.push_back('\x1f');
      scratch.append(author);
      if (!into.add(scratch)) return false;
    }
  } else {
    for (const auto& [key, n] : w.counts)
      if (!into.add(key, n)) return false;
  }
  for (const auto& [key, spelling, n] : w.spellings) {
    scratch.assign(1, kSpellingMark);
    scratch.append(key);
    scratch.push_back('\x1f');
    scratch.append(spelling);
    if (!into.add(scratch, n)) return false;
  }
  return true;
}

}  // namespace trendtop
