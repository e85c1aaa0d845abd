// The Pipeline's output side: what a closed window becomes — ranked (by count or trend), annotated (rank
// changes, spellings, approximations), formatted by the sink — or, with --output partial, its complete
// counts; and --print-keys' lines. The counting side is pipeline.cpp.
#include <algorithm>

#include <fmt/format.h>

#include "pipeline.h"
#include "util/hash.h"
#include "util/log.h"
#include "util/timefmt.h"

namespace trendtop {

namespace {
constexpr size_t kOutputChunk = 1 << 20;

// What a run reads, for a partial stream's header: "stdin", the files, the addresses, the Kafka topics.
std::string source_description(const Config& c) {
  std::string out;
  auto add = [&](std::string_view what) {
    if (!out.empty()) out += ", ";
    out += what;
  };
  for (const std::string& in : c.inputs) add(in == "-" ? "stdin" : in);
  for (const Endpoint& e : c.listen) add("listen " + e.text());
  for (const Endpoint& e : c.connect) add("connect " + e.text());
  if (!c.kafka_brokers.empty()) {
    std::string topics;
    for (const std::string& t : c.kafka_topics) topics += (topics.empty() ? "" : ",") + t;
    add(fmt::format("kafka {} {}{}", c.kafka_brokers, topics,
                    c.kafka_group.empty() ? "" : " group " + c.kafka_group));
  }
  return out;
}
}  // namespace

// Counts the spelling markers of `counts` and gives each ranked key its most frequent spelling: a marker's
// count against the count of the key spelled as folded (its count less its markers'; with --count users,
// where every spelling has a marker, the markers alone); a tie goes to the bytewise smaller spelling.
size_t Pipeline::spellings(const CountMap& counts) {
  size_t markers = 0;
  top_index_.clear();
  for (size_t i = 0; i < top_.size(); ++i) top_index_.emplace(top_[i].key, i);
  best_.assign(top_.size(), {});
  counts.for_each([&](std::string_view k, uint64_t n) {
    if (k.empty() || k[0] != kSpellingMark) return;
    ++markers;
    size_t us = k.find('\x1f');
    if (us == std::string_view::npos) return;
    auto it = top_index_.find(k.substr(1, us - 1));
    if (it == top_index_.end()) return;
    Best& b = best_[it->second];
    std::string_view spelling = k.substr(us + 1);
    b.others += n;
    if (n > b.count || (n == b.count && spelling < b.spelling)) b = {spelling, n, b.others};
  });
  bool users = config_.count == CountMode::Users;
  for (size_t i = 0; i < top_.size(); ++i) {
    const Best& b = best_[i];
    uint64_t as_key = users ? 0 : top_[i].count - std::min(top_[i].count, b.others);
    if (b.count > 0 && b.spelling != top_[i].key &&
        (b.count > as_key || (b.count == as_key && b.spelling < top_[i].key)))
      top_[i].display = b.spelling;
  }
  return markers;
}

void Pipeline::print_keys(std::span<const std::string_view> keys) {
  fmt::memory_buffer& out = output_.buffer();
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) out.push_back('\t');
    std::string_view k = keys[i];
    if (config_.count == CountMode::Users) k = k.substr(0, k.rfind('\x1f'));
    append_tsv_field(out, k);
  }
  out.push_back('\n');
}

// As emit() ranks a window (emit keeps its own copy of these lines to stay a small diff; they could share).
const CountMap& Pipeline::rank(const ClosedWindow& w, size_t& distinct) {
  if (w.totals) {  // a sliding window's running totals: their authors per key, top-k and spellings are kept
    ranker_.rank(*w.totals, config_.top, config_.min_count, top_);
    distinct = w.totals->distinct();
    w.totals->spell(top_);
    return w.totals->ranked();
  }
  const CountMap* counts = &w.counts;
  if (config_.count == CountMode::Users) {
    // The window holds one entry per (key, author): count the authors of each key. Spelling markers are
    // per record, and go on as they are.
    users_.clear();
    bool spelled = tracks_spellings(config_);
    w.counts.for_each([&](std::string_view k, uint64_t n) {
      if (spelled && !k.empty() && k[0] == kSpellingMark)
        users_.add(k, n);
      else
        users_.add(k.substr(0, k.rfind('\x1f')));
    });
    counts = &users_;
  }
  ranker_.rank(*counts, config_.top, config_.min_count, top_, kSpellingMark);
  distinct = counts->size() - (tracks_spellings(config_) ? spellings(*counts) : 0);  // markers: no keys
  return *counts;
}

bool Pipeline::peek(const WindowObserver& visit) {
  sync();
  if (done_ || config_.print_keys || windower_.next_end() == kNoTime) return false;
  bool seen = false;
  windower_.peek_open(
      [&](const ClosedWindow& w) {
        size_t distinct = 0;
        rank(w, distinct);
        visit({w.start, w.end, w.records, distinct, top_, false});
        seen = true;
        return false;  // the next to close only
      },
      windower_.next_end());  // even while it is empty
  return seen;
}

bool Pipeline::emit(const ClosedWindow& w, bool final) {
  if (partial_) return emit_partial(w);
  if (!begun_) {
    // A cron job appending to one report (`>> report.csv`) gets one header, not one per run.
    if (!output_.continues_file()) sink_->begin(output_.buffer());
    begun_ = true;
  }
  if (final) ranker_.skipped(w.skipped_before);
  size_t distinct = 0;
  const CountMap& counts = rank(w, distinct);
  if (w.max_error > 0 && !sink_->marks_approximate() && !warned_approximate_) {
    warned_approximate_ = true;
    warn(approximate_warning_.empty()
             ? fmt::format(
                   "warning: a window passed --max-keys {}: its counts are approximate (over by at most "
                   "the error JSON and text output report), which TSV and CSV rows cannot show; a "
                   "higher --max-keys (0: no limit) keeps them exact",
                   config_.max_keys)
             : approximate_warning_);
  }
  sink_->window({w.start, w.end, w.records, distinct, top_, final, w.max_error}, output_.buffer());
  // One record can close a great many windows (a jump of days in event time prints every empty window in
  // between): write as we go, so the buffer stays small.
  if (output_.buffer().size() >= kOutputChunk && output_.flush() != Output::Status::Ok) {
    done_ = true;
    return false;
  }
  if (observer_) observer_({w.start, w.end, w.records, distinct, top_, final, w.max_error});
  if (!final) {
    if (chain_partials_) closed(w, counts);
    ++stats_.partials;
    return true;
  }
  closed(w, counts);
  ++stats_.windows;
  if (config_.intervals != 0 && stats_.windows >= config_.intervals) {
    done_ = true;
    return false;
  }
  return true;
}

void Pipeline::closed(const ClosedWindow& w, const CountMap& ranked) {
  if (w.totals) {
    ranker_.closed(*w.totals, top_);
  } else {
    ranker_.closed(ranked, top_, kSpellingMark);
  }
}

bool Pipeline::emit_partial(const ClosedWindow& w) {
  if (!begun_) partial_header();
  partial_->window(w, config_.count == CountMode::Users, output_.buffer());
  if (output_.buffer().size() >= kOutputChunk && output_.flush() != Output::Status::Ok) {
    done_ = true;
    return false;
  }
  ++stats_.windows;
  if (config_.intervals != 0 && stats_.windows >= config_.intervals) {
    done_ = true;
    return false;
  }
  return true;
}

void Pipeline::end_output() {
  if (!partial_ || config_.print_keys) return;
  if (!begun_) partial_header();
  partial_->end(stats_.windows, windower_.open_windows(), output_.buffer());
}

void Pipeline::partial_header() {
  begun_ = true;
  PartialHeader h;
  h.window_ms = config_.window_ms;
  h.slide_ms = config_.slide_ms;
  h.lateness_ms = config_.lateness_ms;
  h.max_skew_ms = config_.max_skew_ms;
  h.time = time_name(time_);
  h.keys = keys_name(config_.keys);
  static const char* const kCounts[] = {"records", "occurrences", "users"};
  h.count = kCounts[static_cast<int>(config_.count)];
  h.case_mode = config_.keep_case ? "keep" : "fold";
  h.extract = extract_name(config_.extract);
  h.schema = schema_name(config_.schema);
  h.key_field = config_.key_field;
  h.text_field = config_.text_field;
  h.time_field = config_.time_field;
  h.user_field = config_.user_field;
  h.max_line = config_.max_line;
  h.max_keys = config_.max_keys;
  h.no_retweets = config_.no_retweets;
  CountingLists lists = counting_lists(config_);
  h.track = std::move(lists.track);
  h.lang = std::move(lists.langs);
  auto digest = [](const std::vector<std::string>& l, std::string_view what) {
    std::string all;
    for (const std::string& x : l) all += x + '\n';
    return l.empty() ? std::string() : fmt::format("{} {}, hash {:016x}", l.size(), what, hash_key(all));
  };
  h.exclude = digest(lists.exclude, lists.exclude.size() == 1 ? "key" : "keys");
  h.stopwords = digest(lists.stopwords, "words");
  h.run = run_id_;
  h.segment = segment_;
  h.source = source_description(config_);
  partial_->header(h, output_.buffer());
}

}  // namespace trendtop
