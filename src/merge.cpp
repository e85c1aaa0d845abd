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
  inputs_.push_back({std::move(name), in, kNoTime});
}

void Merger::bad(const Input& in, const std::string& why) {
  if (stats_.bad++ == 0)
    notes_.push_back(fmt::format("merge: '{}' line {}: {}; skipped", in.name, in.line, why));
}

bool Merger::header(Input& in, const PartialHeader& h) {
  if (h.version != kPartialVersion) {
    error_ = fmt::format("'{}' is a partial stream of version {}; this trendtop reads version {}", in.name,
                         h.version, kPartialVersion);
    return false;
  }
  in.header = true;
  in.clean = false;
  in.open = 0;
  if (!pipeline_) {
    first_ = h;
    first_name_ = in.name;
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
  if (h.window_ms != first_.window_ms || h.slide_ms != first_.slide_ms || h.count != first_.count ||
      h.case_mode != first_.case_mode) {
    auto shape = [](const PartialHeader& x) {
      return fmt::format("--window {} --slide {} --count {} --case {}", format_duration(x.window_ms),
                         format_duration(x.slide_ms), x.count, x.case_mode);
    };
    error_ = fmt::format("'{}' was counted with {}, '{}' with {}: such windows cannot be merged", in.name,
                         shape(h), first_name_, shape(first_));
    return false;
  }
  return true;
}

bool Merger::step(Input& in) {
  ssize_t n = getline(&line_, &line_cap_, in.in);
  if (n < 0) {
    in.ended = true;
    if (in.open > 0)
      notes_.push_back(
          fmt::format("merge: '{}': its process ended with {} window{} still open (kept in its "
                      "--state for a later run, or lost to a signal): not in the merge",
                      in.name, in.open, in.open == 1 ? "" : "s"));
    if (in.header && !in.clean)
      notes_.push_back(fmt::format(
          "warning: merge: '{}' ended without its end line (did its process die?); windows after its "
          "last are merged without it",
          in.name));
    return true;
  }
  ++in.line;
  ++stats_.lines;
  std::string_view text(line_, static_cast<size_t>(n));
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  if (text.find_first_not_of(" \t") == std::string_view::npos) return true;  // blank
  std::string why;
  if (!parser_.parse(text, parsed_, why)) return bad(in, why), true;
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
  const PartialLine& w = parsed_;
  if (w.end - w.start != config_.window_ms || floor_to(w.end, config_.slide_ms) != w.end)
    return bad(in, fmt::format("window {}..{} is not a window of the header's shape", w.start, w.end)), true;
  if (in.last_end != kNoTime && w.end <= in.last_end)
    return bad(in, "window out of order (each input must be in order of window end)"), true;
  if (printed_end_ != kNoTime && w.end <= printed_end_)
    return bad(in, "window already merged and printed"), true;
  in.last_end = w.end;
  ++stats_.windows_in;
  if (!w.exact) stats_.approximate = true;
  auto [it, fresh] = open_.try_emplace(w.end);
  if (fresh) {
    it->second.start = w.start;
    if (!spare_.empty()) {
      it->second.counts = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  it->second.records += w.records;
  if (!w.exact) it->second.error += w.error;
  add_partial_counts(w, config_.count == CountMode::Users, it->second.counts, scratch_);
  return true;
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
    bool go_on =
        print(it->second.start, it->first, it->second.records, it->second.counts, it->second.error, skipped);
    it->second.counts.clear();
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
      stopped_ = true;  // --intervals reached, or the output's reader went away
      break;
    }
  }
  if (pipeline_ && !stopped_) print_through(kAll);
  if (stats_.bad > 0)
    notes_.push_back(fmt::format("merge: {} bad line{} skipped", stats_.bad, stats_.bad == 1 ? "" : "s"));
  if (stats_.approximate)
    notes_.push_back("merge: some inputs were approximate (heavy-hitter summaries): so are the results");
  return true;
}

int run_merge(const Config& config) {
  std::signal(SIGPIPE, SIG_IGN);
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
  if (!merger.run()) {
    error(merger.error());
    ok = false;
  }
  output.flush();
  for (std::FILE* f : files) std::fclose(f);
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
