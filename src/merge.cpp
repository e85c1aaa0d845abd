#include "merge.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <limits>

#include <sys/types.h>
#include <unistd.h>

#include <fmt/format.h>

#include "count/window.h"
#include "extract/keys.h"
#include "util/duration.h"
#include "util/log.h"
#include "util/timefmt.h"

namespace trendtop {

Merger::Merger(const Config& options, Output& output)
    : options_(options), output_(output), config_(options), printed_end_(kNoTime) {}

Merger::~Merger() {
  std::free(line_);
}

void Merger::add_input(std::string name, std::FILE* in) {
  Input input;
  input.name = std::move(name);
  input.in = in;
  inputs_.push_back(std::move(input));
}

void Merger::bad(const Input& in, const std::string& why) {
  if (stats_.bad++ == 0)
    notes_.push_back(fmt::format("merge: '{}' line {}: {}; skipped", in.name, in.line, why));
}

bool Merger::header(Input& in, const PartialHeader& h) {
  if (h.version != kPartialVersion) {
    error_ = h.version < kPartialVersion
                 ? fmt::format(
                       "'{}' is a partial stream of version {}, from an older trendtop: it does not "
                       "record the settings and identity merge checks; count its input again with "
                       "this trendtop's --output partial",
                       in.name, h.version)
                 : fmt::format("'{}' is a partial stream of version {}; this trendtop reads version {}",
                               in.name, h.version, kPartialVersion);
    return false;
  }
  // Its identity: the same (run, segment) twice would count every record twice.
  uint32_t run = 0;
  if (!h.run.empty()) {
    run = run_ids_.try_emplace(h.run, static_cast<uint32_t>(run_ids_.size() + 1)).first->second;
    auto [it, fresh] = streams_.try_emplace({run, h.segment}, in.name);
    if (!fresh) {
      error_ = it->second == in.name
                   ? fmt::format(
                         "'{}' holds the same partial stream twice (run {}, segment {}): its counts "
                         "would be summed twice",
                         in.name, h.run, h.segment)
                   : fmt::format(
                         "'{}' and '{}' hold the same partial stream (run {}, segment {}): given twice, "
                         "its counts would be summed twice",
                         it->second, in.name, h.run, h.segment);
      return false;
    }
  }
  in.resumed = in.partial && run != 0 && run == in.run;  // a run resumed with --state, appended
  in.max_keys = h.max_keys;
  in.run = run;
  in.segment = h.segment;
  in.partial = true;
  in.header = true;
  in.clean = false;
  in.open = 0;
  if (!pipeline_) {
    first_ = h;
    first_name_ = in.name;
    first_settings_ = describe_settings(h);
    config_.window_ms = h.window_ms;
    config_.slide_ms = h.slide_ms;
    config_.max_skew_ms = h.max_skew_ms;
    config_.count = h.count == "users"         ? CountMode::Users
                    : h.count == "occurrences" ? CountMode::Occurrences
                                               : CountMode::Records;
    config_.keep_case = h.case_mode == "keep";
    config_.extract = h.extract == "split" ? ExtractMode::Split : ExtractMode::Auto;
    if (options_.rank == RankMode::Trend && config_.baseline_ms < config_.slide_ms)
      config_.baseline_ms = config_.slide_ms;  // as the run's own default would be
    config_.threads = 1;
    pipeline_ = std::make_unique<Pipeline>(config_, output_, 0);
    return true;
  }
  // Counted alike, or not summed at all: the first setting that differs, as both command lines said it.
  // --time auto is decided by a run's first record: a stream that still says auto counted none, and goes
  // with any time base (the first stream that decided one sets it for the rest).
  PartialHeader resolved = h;
  if (resolved.time == "auto") resolved.time = first_.time;
  if (first_.time == "auto" && resolved.time != "auto") {
    first_.time = resolved.time;
    first_settings_ = describe_settings(first_);
    first_name_ = in.name;
  }
  std::vector<std::string> settings = describe_settings(resolved);
  for (size_t i = 0; i < settings.size() && i < first_settings_.size(); ++i) {
    if (settings[i] == first_settings_[i]) continue;
    error_ = fmt::format("'{}' was counted with {}, '{}' with {}: such windows cannot be merged", in.name,
                         settings[i], first_name_, first_settings_[i]);
    return false;
  }
  return true;
}

bool Merger::step(Input& in) {
  ssize_t n = getline(&line_, &line_cap_, in.in);
  if (n < 0) {
    in.ended = true;
    // Not a partial stream at all: say what it is, and merge nothing (its records would be missing).
    if (!in.any) {
      error_ = fmt::format(
          "'{}' is empty: not a partial stream (trendtop --output partial writes a header line "
          "first)",
          in.name);
      return false;
    }
    if (!in.partial) {
      error_ = fmt::format("'{}' is not a partial stream: it has no header line, and {}", in.name, in.first);
      return false;
    }
    if (in.open > 0) left_open_.push_back({in.name, in.open, in.run, in.segment});
    if (in.header && !in.clean)
      notes_.push_back(fmt::format(
          "warning: merge: '{}' ended without its end line (did its process die?); windows after its "
          "last are merged without it",
          in.name));
    if (in.repeats > 0)
      notes_.push_back(
          fmt::format("merge: '{}': {} window{} that a resumed run printed again (its process died "
                      "after printing, before saving?) merged once",
                      in.name, in.repeats, in.repeats == 1 ? "" : "s"));
    return true;
  }
  ++in.line;
  ++stats_.lines;
  std::string_view text(line_, static_cast<size_t>(n));
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  if (text.find_first_not_of(" \t") == std::string_view::npos) return true;  // blank
  std::string why;
  bool parsed = parser_.parse(text, parsed_, why);
  if (!in.any) {
    in.any = true;
    in.first = parsed_.record_like
                   ? "its first line is a tweet or post: the input of trendtop --output partial, "
                     "not its output"
               : !parsed && why == "not a JSON object" ? "its first line is not a JSON object"
               : parsed ? "its first line is a partial stream's window or end line (was its start cut off?)"
                        : fmt::format("its first line is no partial line ({})", why);
  }
  if (!parsed) return bad(in, why), true;
  switch (parsed_.kind) {
    case PartialLine::Kind::Header:
      return header(in, parsed_.header);
    case PartialLine::Kind::End:
      if (!in.header) return bad(in, "an end line without a header"), true;
      in.header = false;
      in.clean = true;
      in.open = parsed_.open;  // reported if no continuation follows
      return true;
    case PartialLine::Kind::Window:
      break;
  }
  if (!in.header) return bad(in, "a window before the header"), true;
  return window(in, parsed_);
}

bool Merger::overflow(const Input& in, const PartialLine& w, std::string_view what) {
  auto format_time = [](int64_t ms) {
    fmt::memory_buffer b;
    append_rfc3339(b, ms);
    return fmt::to_string(b);
  };
  error_ = fmt::format(
      "'{}' line {}: the {} of window {}..{} add up past 2^64 - 1 with the other inputs': "
      "they cannot be summed",
      in.name, in.line, what, format_time(w.start), format_time(w.end));
  return false;
}

bool Merger::window(Input& in, const PartialLine& w) {
  if (w.end - w.start != config_.window_ms || floor_to(w.end, config_.slide_ms) != w.end)
    return bad(in, fmt::format("window {}..{} is not a window of the header's shape", w.start, w.end)), true;
  if (in.last_end != kNoTime && w.end <= in.last_end) {
    // A run resumed from its --state prints again the windows it printed after its last checkpoint.
    if (in.resumed) return ++in.repeats, true;
    return bad(in, "window out of order (each input must be in order of window end)"), true;
  }
  if (printed_end_ != kNoTime && w.end <= printed_end_)
    return bad(in, "window already merged and printed"), true;
  in.last_end = w.end;
  ++stats_.windows_in;
  auto [it, fresh] = open_.try_emplace(w.end);
  Open& o = it->second;
  if (fresh) {
    o.start = w.start;
    if (!spare_.empty()) {
      o.counts = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  // One window per run: the same window from another segment of the run is that run printing it again.
  if (in.run != 0) {
    if (std::find(o.runs.begin(), o.runs.end(), in.run) != o.runs.end()) return ++in.repeats, true;
    o.runs.push_back(in.run);
  }
  if (!w.exact) {
    stats_.approximate = true;
    if (!in.approximate) {
      in.approximate = true;
      approximate_warning(in);
    }
  }
  if (o.records > UINT64_MAX - w.records) return overflow(in, w, "records");
  o.records += w.records;
  if (!w.exact) {
    if (o.error > UINT64_MAX - w.error) return overflow(in, w, "error bounds");
    o.error += w.error;
  }
  if (!add_partial_counts(w, config_.count == CountMode::Users, o.counts, scratch_))
    return overflow(in, w, "counts");
  // Not with --count users, whose error bounds no author count.
  if (!w.exact && config_.count != CountMode::Users)
    for (const auto& [key, n] : w.counts)
      if (!o.listed.add(key, w.error)) return overflow(in, w, "error bounds");
  return true;
}

// The warning an approximate window printed as TSV or CSV gets (once): the limits in effect were those of
// the runs that wrote the approximate inputs, as their headers say, not merge's own --max-keys default. An
// input found approximate after it was printed (its first approximate window comes later) is named in a
// warning of its own.
void Merger::approximate_warning(const Input& found) {
  auto limit = [](const Input& in) {
    return in.max_keys ? fmt::format(" --max-keys {}", *in.max_keys)
                       : std::string(" a --max-keys its header does not record");
  };
  if (pipeline_->warned_approximate()) {
    warn(
        fmt::format("warning: merged windows are approximate from '{}' too, counted with{}: count it again "
                    "with a higher --max-keys (0: no limit) for exact windows",
                    found.name, limit(found)));
    return;
  }
  constexpr size_t kNamed = 3;
  std::string said;
  size_t n = 0;
  for (const Input& in : inputs_) {
    if (!in.approximate) continue;
    if (n++ == kNamed) continue;
    said += fmt::format("{}'{}' {}{}", n == 1 ? "" : ", ", in.name, n == 1 ? "was counted with" : "with",
                        limit(in));
  }
  if (n > kNamed) said += fmt::format(" (and {} more)", n - kNamed);
  pipeline_->set_approximate_warning(
      fmt::format("warning: merged windows are approximate (over by at most the error JSON and text output "
                  "report), which TSV and CSV rows cannot show: {}; count {} again with a higher --max-keys "
                  "(0: no limit) for exact windows",
                  said, n == 1 ? "it" : "them"));
}

bool Merger::print(int64_t start, int64_t end, uint64_t records, const CountMap& counts, uint64_t error,
                   uint64_t skipped_before) {
  ++stats_.windows;
  ClosedWindow w{start, end, records, counts};
  w.max_error = error;
  w.skipped_before = skipped_before;
  bool go_on = pipeline_->print_window(w);
  pipeline_->flush();  // a failed write marks the pipeline done
  return go_on && !pipeline_->done();
}

// Summaries merge as Space-Saving's do: a key one approximate input does not list occurred there at most its
// error times, so it is credited that much (what each input lists is at least its true count already). Then
// every count is at least the true one and at most the summed error above it, as in one run's summary.
const CountMap* Merger::credit(int64_t end, const Open& o) {
  if (o.error == 0 || config_.count == CountMode::Users) return &o.counts;
  credited_ = o.counts;
  bool ok = true;
  o.counts.for_each([&](std::string_view key, uint64_t) {
    if (!key.empty() && key[0] == kSpellingMark) return;
    // At most o.error: the errors of the inputs that list the key are among those summed into o.error.
    if (uint64_t n = o.error - o.listed.get(key)) ok = credited_.add(key, n) && ok;
  });
  if (ok) return &credited_;
  fmt::memory_buffer b;
  append_rfc3339(b, end);
  error_ = fmt::format(
      "the counts of window ..{} with the error bounds of the inputs that do not list them "
      "add up past 2^64 - 1: they cannot be summed",
      fmt::to_string(b));
  return nullptr;
}

bool Merger::print_through(int64_t frontier) {
  while (!open_.empty() && open_.begin()->first <= frontier) {
    auto it = open_.begin();
    // The windows no input holds, between two that some do: empty, as one run over everything prints them
    // (and skips them, as it does, when they span more than --max-skew).
    uint64_t skipped = 0;
    if (printed_end_ != kNoTime) {
      int64_t gap = it->first - printed_end_ - config_.slide_ms;
      if (config_.max_skew_ms > 0 && gap > config_.max_skew_ms) {
        skipped = static_cast<uint64_t>(gap / config_.slide_ms);
      } else {
        for (int64_t e = printed_end_ + config_.slide_ms; e < it->first; e += config_.slide_ms)
          if (!print(e - config_.window_ms, e, 0, empty_)) return false;
      }
    }
    printed_end_ = it->first;
    const CountMap* counts = credit(it->first, it->second);
    if (!counts) return false;
    bool go_on = print(it->second.start, it->first, it->second.records, *counts, it->second.error, skipped);
    it->second.counts.clear();
    it->second.listed.clear();
    spare_.push_back(std::move(it->second.counts));
    open_.erase(it);
    if (!go_on) return false;
  }
  return true;
}

bool Merger::run() {
  constexpr int64_t kAll = std::numeric_limits<int64_t>::max();
  for (;;) {
    // The input furthest behind holds the others back: read it.
    Input* next = nullptr;
    for (Input& in : inputs_)
      if (!in.ended && (!next || in.last_end < next->last_end)) next = &in;
    if (!next) break;
    if (!step(*next)) return false;
    if (!pipeline_) continue;
    int64_t frontier = kAll;
    for (const Input& in : inputs_)
      if (!in.ended) frontier = std::min(frontier, in.last_end);
    if (frontier != kNoTime && !print_through(frontier)) {
      if (!error_.empty()) return false;  // a sum past 2^64 - 1
      stopped_ = true;                    // --intervals reached, or the output's reader went away
      break;
    }
  }
  if (pipeline_ && !stopped_ && !print_through(kAll) && !error_.empty()) return false;
  // Windows a stream left open are in its --state, and in the merge when the run's next segment is.
  for (const LeftOpen& l : left_open_)
    if (l.run == 0 || !streams_.count({l.run, l.segment + 1}))
      notes_.push_back(
          fmt::format("merge: '{}': its process ended with {} window{} still open (kept in its "
                      "--state for a later run, or lost to a signal): not in the merge",
                      l.name, l.open, l.open == 1 ? "" : "s"));
  if (stats_.bad > 0)
    notes_.push_back(fmt::format("merge: {} bad line{} skipped", stats_.bad, stats_.bad == 1 ? "" : "s"));
  if (stats_.approximate)
    notes_.push_back("merge: some inputs were approximate (heavy-hitter summaries): so are the results");
  return true;
}

int run_merge(const Config& config) {
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);  // past `ulimit -f`: EFBIG, a write error (main.cpp says why)
  auto started = std::chrono::steady_clock::now();
  Output output(config.stdout_closed ? -1 : STDOUT_FILENO);  // -1: writing fails as to a closed stdout
  Merger merger(config, output);
  std::vector<std::FILE*> files;
  bool ok = true;
  std::vector<std::string> inputs = config.inputs;
  if (inputs.empty()) inputs.push_back("-");
  for (const std::string& name : inputs) {
    if (name == "-") {
      merger.add_input("-", stdin);
      continue;
    }
    std::FILE* f = std::fopen(name.c_str(), "r");
    if (!f) {  // reported; the others are merged (and the exit status says something is missing)
      error(fmt::format("cannot open '{}': {}", name, std::strerror(errno)));
      ok = false;
      continue;
    }
    files.push_back(f);
    merger.add_input(name, f);
  }
  bool merged = merger.run();
  if (!merged) {
    error(merger.error());
    ok = false;
  }
  output.flush();
  for (std::FILE* f : files) std::fclose(f);
  // A refusal is the one thing to say (the bad lines of an input that is no partial stream are no news).
  if (merged)
    for (const std::string& note : merger.notes()) fmt::print(stderr, "trendtop: {}\n", note);
  if (output.status() == Output::Status::Error) {
    error(output.error());
    ok = false;
  }
  if (config.stats) {
    const MergeStats& s = merger.stats();
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    fmt::print(stderr, "trendtop: stats inputs={} lines={} windows_in={} bad={} windows={} elapsed={:.3f}s\n",
               inputs.size(), s.lines, s.windows_in, s.bad, s.windows, elapsed);
  }
  return ok ? 0 : 1;
}

}  // namespace trendtop
