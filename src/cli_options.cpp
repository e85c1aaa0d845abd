#include "cli_options.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>
#include <tuple>

#include <sched.h>

#include "extract/schema.h"
#include "input/kafka.h"
#include "input/net.h"
#include "input/url.h"
#include "input/url_source.h"
#include "util/clock.h"
#include "util/duration.h"

namespace trendtop::cli {

namespace {

// Longest window or lateness accepted: ten years keeps every time computation far from int64 overflow.
constexpr int64_t kMaxDurationMs = kMaxDuration;

// The cores this process may run on (taskset, cgroups' cpusets), not merely those the machine has.
unsigned available_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

// One entry per line of `path` (blank lines skipped, CRLF allowed) appended to `out`; a usage error naming
// `flag` when the file cannot be read. An empty path reads nothing.
bool read_list(std::string_view flag, const std::string& path, std::vector<std::string>& out) {
  if (path.empty()) return true;
  errno = 0;
  std::ifstream in(path);
  if (!in) {
    usage_error(fmt::format("{}: cannot read '{}'{}", flag, path,
                            errno != 0 ? fmt::format(": {}", std::strerror(errno)) : std::string()));
    return false;
  }
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return true;
}

}  // namespace

std::string help_hint = "trendtop --help";

int usage_error(const std::string& what) {
  fmt::print(stderr, "trendtop: error: {} (see {})\n", what, help_hint);
  return 2;
}

int duration(const std::string& flag, const std::string& text, int64_t& out) {
  auto ms = parse_duration(text);
  if (!ms)
    return usage_error(fmt::format("{}: '{}' is not a duration (e.g. 250ms, 10s, 1m30s, 2h)", flag, text));
  if (*ms > kMaxDurationMs) return usage_error(fmt::format("{}: '{}' is longer than 10 years", flag, text));
  out = *ms;
  return -1;
}

const CLI::Validator kWholeNumber(
    [](std::string& s) -> std::string {
      if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos) return "";
      return "'" + s + "' is not a whole number >= 0";
    },
    "", "whole number");

const std::map<std::string, OutputFormat> kOutputs = {{"text", OutputFormat::Text},
                                                      {"tsv", OutputFormat::Tsv},
                                                      {"csv", OutputFormat::Csv},
                                                      {"json", OutputFormat::Json},
                                                      {"partial", OutputFormat::Partial}};
const std::map<std::string, RankMode> kRanks = {{"count", RankMode::Count}, {"trend", RankMode::Trend}};

// --- Windows: their length and slide, the time base, lateness and the clock-skew defence.

void WindowOptions::add(CLI::App& app, Config&) {
  app.add_option("-w,--window", window, "Window length (default 10s)")->option_text("DUR")->group("Windows");
  app.add_option("-s,--slide", slide, "Slide: emit a window every DUR (default: the window, i.e. tumbling)")
      ->option_text("DUR")
      ->group("Windows");
  app.add_option(
         "--time", time,
         "event (the record's own time), arrival (the clock when read), or auto: event when the first "
         "record has a time (default)")
      ->option_text("MODE")
      ->group("Windows");
  app.add_option("--lateness", lateness, "Event time: wait this long for out-of-order records (default 0)")
      ->option_text("DUR")
      ->group("Windows");
  app.add_option(
         "--max-skew", max_skew,
         "Event time: refuse times this far ahead of the clock, hold a lone record far ahead of its "
         "source's stream (past the lateness and three slides, at least 1 min or the window) until that "
         "source's next one confirms it, skip runs of empty windows longer than this (default 1h; 0: off)")
      ->option_text("DUR")
      ->group("Windows");
  app.add_option(
         "--max-source-lag", max_source_lag,
         "Event time: every source (connection, Kafka partition, the files) has its own clock and the "
         "slowest active one holds the windows open, but never more than DUR behind the newest "
         "record; a source further behind has its records counted as late (default: the window "
         "plus 5m; 0: one clock for all sources, the newest record decides)")
      ->option_text("DUR")
      ->group("Windows");
}

int WindowOptions::check(const CLI::App& app, Config& config) {
  if (int rc = duration("--window", window, config.window_ms); rc >= 0) return rc;
  if (config.window_ms <= 0) return usage_error("--window must be longer than 0");
  config.slide_ms = config.window_ms;
  if (!slide.empty()) {
    if (int rc = duration("--slide", slide, config.slide_ms); rc >= 0) return rc;
    if (config.slide_ms <= 0) return usage_error("--slide must be longer than 0");
  }
  if (config.window_ms % config.slide_ms != 0) {
    if (!app.count("--window"))  // the user gave only --slide: say so, not "--window 10s" they never typed
      return usage_error(
          fmt::format("--slide {} needs a --window that is a multiple of it (the default "
                      "window, {}, is not)",
                      format_duration(config.slide_ms), format_duration(config.window_ms)));
    return usage_error(fmt::format("--window {} is not a multiple of --slide {}",
                                   format_duration(config.window_ms), format_duration(config.slide_ms)));
  }
  if (int rc = duration("--lateness", lateness, config.lateness_ms); rc >= 0) return rc;
  if (int rc = duration("--max-skew", max_skew, config.max_skew_ms); rc >= 0) return rc;
  config.max_source_lag_ms = std::min(config.window_ms + 300'000, kMaxDurationMs);
  if (!max_source_lag.empty()) {
    if (int rc = duration("--max-source-lag", max_source_lag, config.max_source_lag_ms); rc >= 0) return rc;
  }
  static const std::map<std::string, TimeMode> kTimes = {
      {"auto", TimeMode::Auto}, {"event", TimeMode::Event}, {"arrival", TimeMode::Arrival}};
  return choose(kTimes, "--time", time, config.time);
}

// --- Keys and ranking: what is counted, how keys are normalised and excluded, how windows rank them.

void KeyOptions::add(CLI::App& app, Config& config) {
  app.add_option("-k,--top", config.top, "Keys shown per window; 0 shows all (default 10)")
      ->option_text("K")
      ->check(kWholeNumber)
      ->group("Keys and ranking");
  app.add_option("--max-keys", config.max_keys,
                 "Distinct keys a pane may hold before its counts turn approximate, with an error bound; 0: "
                 "no limit (default 1000000)")
      ->option_text("N")
      ->check(kWholeNumber)
      ->group("Keys and ranking");
  app.add_option("--min-count", config.min_count, "Leave out keys counted fewer than N times (default 1)")
      ->option_text("N")
      ->check(kWholeNumber)
      ->group("Keys and ranking");
  app.add_option("--rank", rank,
                 "Order keys by count (default), or by trend: how far each rises above its own baseline")
      ->option_text("count|trend")
      ->group("Keys and ranking");
  app.add_option("--baseline", baseline,
                 "--rank trend: how far back a key's baseline looks (default 1h, or the slide if longer)")
      ->option_text("DUR")
      ->group("Keys and ranking");
  app.add_option("--keys", keys,
                 "What to count, comma-separated: hashtags (default), mentions, cashtags, urls, words")
      ->option_text("KINDS")
      ->group("Keys and ranking");
  app.add_option(
         "--extract", extract,
         "entities (as the record marks them), text (found in the text), auto (entities when the record "
         "has them, else text; default), split (the Spark tutorial's split on ' ')")
      ->option_text("MODE")
      ->group("Keys and ranking");
  app.add_option("--count", count,
                 "records: a key once per record (default); occurrences: every time (default with --extract "
                 "split); users: once per author per window")
      ->option_text("MODE")
      ->group("Keys and ranking");
  app.add_option("--exclude", config.exclude,
                 "Never count this key, e.g. '#rt' (repeatable; normalised as keys are)")
      ->option_text("KEY")
      ->allow_extra_args(false)  // one value per occurrence: a FILE after it stays a FILE
      ->group("Keys and ranking");
  app.add_option("--exclude-file", exclude_file, "Never count the keys in FILE, one per line")
      ->option_text("FILE")
      ->group("Keys and ranking");
  app.add_option("--case", case_mode,
                 "fold: keys case folded, shown in their most frequent spelling (default); keep: spellings "
                 "apart")
      ->option_text("MODE")
      ->group("Keys and ranking");
  app.add_option("--stopwords", stopwords_file,
                 "--keys words: also leave out the words in FILE, one per line")
      ->option_text("FILE")
      ->group("Keys and ranking");
}

int KeyOptions::check(const CLI::App&, Config& config) {
  if (baseline.empty()) {
    config.baseline_ms = std::max<int64_t>(3'600'000, config.slide_ms);  // 1h, or one slide if longer
  } else {
    if (int rc = duration("--baseline", baseline, config.baseline_ms); rc >= 0) return rc;
    if (config.baseline_ms < config.slide_ms)
      return usage_error(fmt::format("--baseline {} is shorter than the slide ({})",
                                     format_duration(config.baseline_ms), format_duration(config.slide_ms)));
  }
  static const std::map<std::string, ExtractMode> kExtracts = {{"auto", ExtractMode::Auto},
                                                               {"entities", ExtractMode::Entities},
                                                               {"text", ExtractMode::Text},
                                                               {"split", ExtractMode::Split}};
  if (int rc = choose(kExtracts, "--extract", extract, config.extract); rc >= 0) return rc;
  if (int rc = choose(kRanks, "--rank", rank, config.rank); rc >= 0) return rc;
  static const std::map<std::string, KeyKind> kKeys = {{"hashtags", kHashtags},
                                                       {"mentions", kMentions},
                                                       {"cashtags", kCashtags},
                                                       {"urls", kUrls},
                                                       {"words", kWords}};
  config.keys = 0;
  for (size_t at = 0; at <= keys.size();) {
    size_t comma = std::min(keys.find(',', at), keys.size());
    KeyKind kind = kHashtags;
    if (int rc = choose(kKeys, "--keys", keys.substr(at, comma - at), kind); rc >= 0) return rc;
    config.keys |= kind;
    at = comma + 1;
  }
  static const std::map<std::string, CountMode> kCounts = {
      {"records", CountMode::Records}, {"occurrences", CountMode::Occurrences}, {"users", CountMode::Users}};
  if (count.empty())
    config.count = config.extract == ExtractMode::Split ? CountMode::Occurrences : CountMode::Records;
  else if (int rc = choose(kCounts, "--count", count, config.count); rc >= 0)
    return rc;
  if (!read_list("--exclude-file", exclude_file, config.exclude)) return 2;
  if (!read_list("--stopwords", stopwords_file, config.stopwords)) return 2;
  static const std::map<std::string, bool> kCases = {{"fold", false}, {"keep", true}};
  if (int rc = choose(kCases, "--case", case_mode, config.keep_case); rc >= 0) return rc;
  if (config.extract == ExtractMode::Split && config.keys != kHashtags)
    return usage_error("--extract split counts hashtags only (the tutorial's pipeline)");
  return -1;
}

// --- Filters: which records count at all.

void FilterOptions::add(CLI::App& app, Config& config) {
  app.add_option(
         "--track", config.track,
         "Count only records whose text contains PHRASE, case-insensitive (repeatable: any may match)")
      ->option_text("PHRASE")
      ->allow_extra_args(false)  // one value per occurrence: a FILE after it stays a FILE
      ->group("Filters");
  app.add_option("--lang", config.langs, "Count only records in this language, e.g. en (repeatable)")
      ->option_text("CODE")
      ->allow_extra_args(false)  // one value per occurrence: a FILE after it stays a FILE
      ->group("Filters");
  app.add_flag("--no-retweets", config.no_retweets, "Leave out retweets")->group("Filters");
}

int FilterOptions::check(const CLI::App&, Config& config) {
  for (const std::string& t : config.track)
    if (t.empty()) return usage_error("--track: an empty phrase would match everything");
  return -1;
}

// --- Output: what is printed, in which format, how much.

void OutputOptions::add(CLI::App& app, Config& config) {
  app.add_flag("--print-keys", config.print_keys, "No windows: print each input line's keys, tab-separated")
      ->group("Output");
  app.add_option("-o,--output", output,
                 "text (default), tsv, csv, json, or partial (complete counts, for trendtop merge)")
      ->option_text("FORMAT")
      ->group("Output");
  app.add_option("-n,--intervals", config.intervals, "Exit after N windows")
      ->option_text("N")
      ->check(kWholeNumber)
      ->group("Output");
  app.add_flag("--stats", config.stats, "At exit, print counters that account for every line to stderr")
      ->group("Output");
  app.add_flag(
         "-q,--quiet", config.quiet,
         "Do not say on stderr how many lines were not counted and why (malformed, late, oversized, "
         "skewed), which trendtop otherwise does at exit and, in a live run, at most once a minute; nor "
         "what to try when the first lines are all unreadable")
      ->group("Output");
  app.add_option("--chart", config.chart_path,
                 "Write an SVG chart of the top 10 keys over the last 120 windows to FILE, kept up to date")
      ->option_text("FILE")
      ->group("Output");
}

int OutputOptions::check(const CLI::App&, Config& config) {
  if (int rc = choose(kOutputs, "--output", output, config.output); rc >= 0) return rc;
  if (!config.chart_path.empty() && config.print_keys)
    return usage_error("--chart: --print-keys has no windows to chart");
  return -1;
}

// --- Input: line limits, the stream format and its field paths, parsing threads.

void InputOptions::add(CLI::App& app, Config& config) {
  app.add_option("--max-line", max_line, "Skip (and count) lines longer than this (default 16MiB)")
      ->option_text("BYTES")
      ->group("Input");
  app.add_option("--schema", schema,
                 "twitter (API v1.1), x-v2, bluesky (Jetstream), mastodon, json (with the --*-field paths), "
                 "text (a line is the text), or auto: detected per record (default)")
      ->option_text("FORMAT")
      ->group("Input");
  for (auto [flag, field, what] :
       {std::tuple{"--key-field", &config.key_field, "the keys, a string or an array; PATH is /a/b or a.b"},
        std::tuple{"--text-field", &config.text_field,
                   "the text (keys found in it when there is no --key-field)"},
        std::tuple{"--time-field", &config.time_field, "the event time: epoch s, ms or us, or RFC 3339"},
        std::tuple{"--user-field", &config.user_field, "the author, for --count users"}})
    app.add_option(flag, *field, fmt::format("--schema json: {}", what))->option_text("PATH")->group("Input");
  app.add_option("-j,--threads", threads,
                 "Parse (and decompress) on N threads (default: the cores); the output never depends on N")
      ->option_text("N")
      ->group("Input");
}

int InputOptions::check(const CLI::App& app, Config& config) {
  static const std::map<std::string, Schema> kSchemas = {
      {"auto", Schema::Auto},       {"twitter", Schema::Twitter},   {"x-v2", Schema::XV2},
      {"bluesky", Schema::Bluesky}, {"mastodon", Schema::Mastodon}, {"json", Schema::Json},
      {"text", Schema::Text}};
  if (int rc = choose(kSchemas, "--schema", schema, config.schema); rc >= 0) return rc;
  for (auto [flag, field] : {std::pair{"--key-field", &config.key_field},
                             {"--text-field", &config.text_field},
                             {"--time-field", &config.time_field},
                             {"--user-field", &config.user_field}}) {
    if (!app.count(flag)) continue;
    if (config.schema != Schema::Json) return usage_error(fmt::format("{} needs --schema json", flag));
    std::vector<std::string> tokens;
    std::string err;
    if (!parse_field_path(*field, tokens, err))
      return usage_error(fmt::format("{}: '{}': {}", flag, *field, err));
  }
  if (config.schema == Schema::Json && config.key_field.empty() && config.text_field.empty())
    return usage_error("--schema json needs --key-field or --text-field");
  if (config.schema == Schema::Json || config.schema == Schema::Text) {
    const char* name = config.schema == Schema::Json ? "json" : "text";
    if (!config.langs.empty())
      return usage_error(fmt::format("--lang: --schema {} records have no language", name));
    if (config.no_retweets)
      return usage_error(fmt::format("--no-retweets: --schema {} records are never retweets", name));
    if (config.count == CountMode::Users && config.user_field.empty())
      return usage_error(config.schema == Schema::Json ? "--count users with --schema json needs --user-field"
                                                       : "--count users: --schema text records have no user");
  }
  if (threads.empty()) {
    config.threads = available_cores();
  } else {
    if (threads.size() > 4 || threads.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(threads) < 1 || std::stoul(threads) > 1024)
      return usage_error(fmt::format("--threads: '{}' is not a whole number from 1 to 1024", threads));
    config.threads = static_cast<unsigned>(std::stoul(threads));
  }
  auto size = parse_size(max_line);
  if (!size || *size == 0 || *size > (1ull << 32))
    return usage_error(fmt::format("--max-line: '{}' is not a size from 1 byte to 4GiB", max_line));
  config.max_line = *size;
  // For tests (not an option: it changes nothing but speed, and nobody needs to tune it): the byte ranges
  // regular files are read by with parsing threads, down to 1 byte, so that every boundary case happens.
  if (const char* env = std::getenv("TRENDTOP_READ_RANGE"); env != nullptr && *env != '\0') {
    auto range = parse_size(env);
    if (!range || *range == 0 || *range > (256u << 20))
      return usage_error(fmt::format("TRENDTOP_READ_RANGE: '{}' is not a size from 1 byte to 256MiB", env));
    config.read_range = *range;
  }
  return -1;
}

// --- Long runs: live streams' clocks, intermediate results, duration, state files.

void LongRunOptions::add(CLI::App& app, Config& config) {
  app.add_option(
         "--idle-timeout", idle_timeout,
         "Event time: when no record came for DUR, advance the watermark with the wall clock, and a "
         "source (connection, Kafka partition) quiet that long stops holding the windows back; 0 turns "
         "it off (default: the slide, at least 1s, on live sources; off for files)")
      ->option_text("DUR")
      ->group("Long runs");
  app.add_option(
         "--emit", emit,
         "final: each window once, when it closes (default); every=DUR: also the open window's running "
         "top-k every DUR")
      ->option_text("POLICY")
      ->group("Long runs");
  app.add_option("--duration", run_duration, "End the run cleanly after DUR of wall time")
      ->option_text("DUR")
      ->group("Long runs");
  app.add_option("--state", config.state_path,
                 "Resume from FILE, and save open windows there at exit and every --checkpoint-every")
      ->option_text("FILE")
      ->group("Long runs");
  app.add_option("--checkpoint-every", checkpoint_every, "With --state: save every DUR (default 30s)")
      ->option_text("DUR")
      ->group("Long runs");
  app.add_flag("--flush", config.flush,
               "With --state: at the end emit every open window and leave the state empty")
      ->group("Long runs");
}

int LongRunOptions::check(const CLI::App& app, Config& config) {
  if (!idle_timeout.empty()) {
    if (int rc = duration("--idle-timeout", idle_timeout, config.idle_timeout_ms); rc >= 0) return rc;
  }
  if (emit.rfind("every=", 0) == 0) {
    if (int rc = duration("--emit every", emit.substr(6), config.emit_every_ms); rc >= 0) return rc;
    if (config.emit_every_ms <= 0) return usage_error("--emit every=DUR must be longer than 0");
  } else if (emit != "final") {
    return usage_error(fmt::format("--emit: '{}' is not 'final' or 'every=DUR'", emit));
  }
  if (config.emit_every_ms > 0 && config.output == OutputFormat::Partial)
    return usage_error("--emit every: --output partial carries closed windows only");
  if (!run_duration.empty()) {
    if (int rc = duration("--duration", run_duration, config.duration_ms); rc >= 0) return rc;
    if (config.duration_ms <= 0) return usage_error("--duration must be longer than 0");
  }
  if (int rc = duration("--checkpoint-every", checkpoint_every, config.checkpoint_every_ms); rc >= 0)
    return rc;
  if (config.checkpoint_every_ms <= 0) return usage_error("--checkpoint-every must be longer than 0");
  if (config.flush && config.state_path.empty()) return usage_error("--flush needs --state FILE");
  if (app.count("--checkpoint-every") && config.state_path.empty())
    return usage_error("--checkpoint-every needs --state FILE");
  return -1;
}

// --- Terminal: the live view, colour, progress.

void TerminalOptions::add(CLI::App& app, Config&) {
  app.add_option("--view", view,
                 "live: a full-screen view redrawn every second; scroll: one block per window (default: live "
                 "for a stream on a terminal)")
      ->option_text("live|scroll")
      ->group("Terminal");
  app.add_option("--color", color,
                 "Colour text output: auto (on a terminal, unless NO_COLOR is set; default), always, never")
      ->option_text("WHEN")
      ->group("Terminal");
  app.add_flag("--progress", progress,
               "Show bytes read, rate and ETA on stderr (default: for files, when stderr is a terminal and "
               "stdout is not)")
      ->group("Terminal");
  app.add_flag("--no-progress", no_progress, "Never show the progress line")->group("Terminal");
}

int TerminalOptions::check(const CLI::App&, Config& config) {
  static const std::map<std::string, ViewMode> kViews = {{"live", ViewMode::Live},
                                                         {"scroll", ViewMode::Scroll}};
  if (view != "auto")
    if (int rc = choose(kViews, "--view", view, config.view); rc >= 0) return rc;
  static const std::map<std::string, ColorMode> kColors = {
      {"auto", ColorMode::Auto}, {"always", ColorMode::Always}, {"never", ColorMode::Never}};
  if (int rc = choose(kColors, "--color", color, config.color); rc >= 0) return rc;
  if (progress && no_progress) return usage_error("--progress and --no-progress contradict each other");
  config.progress = progress ? 1 : no_progress ? 0 : -1;
  if (config.view == ViewMode::Live && (config.output != OutputFormat::Text || config.print_keys))
    return usage_error("--view live shows windows as text: not with --output tsv|csv|json or --print-keys");
  return -1;
}

// --- Options without effect in the combination given.

int refuse_inert(const CLI::App& app, const Config& config) {
  auto given = [&](const char* flag) { return app.count(flag) > 0; };
  // --print-keys prints each record's keys: nothing about windows, their ranking or their printing applies.
  if (config.print_keys) {
    for (const char* flag : {"--window", "--slide", "--time", "--lateness", "--max-skew", "--idle-timeout",
                             "--top", "--max-keys", "--min-count", "--rank", "--baseline", "--intervals",
                             "--emit", "--flush", "--view", "--color"})
      if (given(flag))
        return usage_error(fmt::format("{}: --print-keys prints each record's keys, not windows", flag));
    if (given("--output"))
      return usage_error("--output: --print-keys has a format of its own (the keys, tab-separated)");
  }
  // -o partial carries every key of every window; ranking and choosing keys happen in the merge.
  if (config.output == OutputFormat::Partial) {
    for (const char* flag : {"--top", "--min-count", "--rank", "--baseline"})
      if (given(flag))
        return usage_error(fmt::format("{}: -o partial carries every key; give it to trendtop merge", flag));
    if (given("--chart")) return usage_error("--chart: -o partial prints no windows to chart");
  }
  if (config.output != OutputFormat::Text)
    for (const char* flag : {"--color", "--view"})
      if (given(flag))
        return usage_error(fmt::format("{}: only text output is coloured or shown live", flag));
  if (given("--baseline") && config.rank != RankMode::Trend)
    return usage_error("--baseline needs --rank trend");
  if (given("--stopwords") && !(config.keys & kWords)) return usage_error("--stopwords needs --keys words");
  if (given("--case") && config.extract == ExtractMode::Split)
    return usage_error("--case: --extract split lower-cases keys, as the tutorial does");
  // Arrival time: a line belongs to the window open when it is read.
  if (config.time == TimeMode::Arrival) {
    if (given("--lateness")) return usage_error("--lateness: with --time arrival no record is late");
    if (given("--idle-timeout"))
      return usage_error("--idle-timeout: with --time arrival windows close on the clock anyway");
    if (given("--time-field"))
      return usage_error("--time-field: --time arrival does not read the records' times");
  }
  // Where keys come from with --schema json and text.
  if (given("--extract") && (config.schema == Schema::Json ||
                             (config.schema == Schema::Text && config.extract != ExtractMode::Split)))
    return usage_error(fmt::format("--extract: --schema {} records have no entities; {}",
                                   config.schema == Schema::Json ? "json" : "text",
                                   config.schema == Schema::Json
                                       ? "keys come from --key-field or --text-field"
                                       : "keys come from the text (or --extract split)"));
  if (!config.key_field.empty()) {
    if (given("--keys")) return usage_error("--keys: with --key-field the keys are that field's values");
    if (given("--text-field") && config.track.empty())
      return usage_error("--text-field: with --key-field the text is read only for --track");
  }
  if (given("--user-field") && config.count != CountMode::Users)
    return usage_error("--user-field: the author is read only for --count users");
  // Network options of the other kind of source.
  bool connects = !config.connect.empty() || !config.connect_urls.empty();
  if (given("--retry") && !connects) return usage_error("--retry needs --connect ADDR or URL");
  for (const char* flag : {"--allow", "--client-timeout", "--max-connections"})
    if (given(flag) && config.listen.empty()) return usage_error(fmt::format("{} needs --listen ADDR", flag));
  if (given("--max-buffered") && config.listen.empty() && !connects)
    return usage_error("--max-buffered needs --listen or --connect (files and stdin need no budget)");
  return -1;
}

}  // namespace trendtop::cli
