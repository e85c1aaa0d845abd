// The command line: CLI11 in, a validated Config out. Options are declared and checked by group
// (cli_options.h, one struct per --help group); `trendtop merge` has a parser of its own.
#include "cli.h"

#include <cstdio>
#include <map>
#include <string>

#include <fmt/format.h>
#include <simdjson.h>
#include <utf8proc.h>
#include <CLI/CLI.hpp>

#include "cli_options.h"
#include "input/kafka.h"
#include "input/url_source.h"

namespace trendtop {

using namespace cli;

namespace {

#define STRINGIFY_VERSION_(x) #x
#define STRINGIFY_VERSION(x) STRINGIFY_VERSION_(x)  // SIMDJSON_VERSION is a bare 3.0.1

std::string version_text() {
  std::string kafka = KafkaSource::available() ? ", librdkafka " + KafkaSource::version() : "";
  if (UrlSources::available()) kafka += ", " + UrlSources::version();
  return fmt::format(
      "trendtop {}\nbuilt {} with {} {}\nsimdjson {} ({}), fmt {}.{}.{}, utf8proc {}, CLI11 {}.{}.{}{}",
      TRENDTOP_VERSION, TRENDTOP_BUILD_TYPE,
#if defined(__clang__)
      "clang",
#else
      "gcc",
#endif
      __VERSION__, STRINGIFY_VERSION(SIMDJSON_VERSION), simdjson::get_active_implementation()->name(),
      FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100, utf8proc_version(),
      CLI11_VERSION_MAJOR, CLI11_VERSION_MINOR, CLI11_VERSION_PATCH, kafka);
}

// Runs CLI11 over argv: -1 when parsed, else the exit status (help and version print and exit 0).
int parse(CLI::App& app, int argc, char** argv, bool version) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::CallForVersion&) {
    if (!version) throw;
    fmt::print("{}\n", version_text());
    return 0;
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
    return usage_error(what);
  }
  return -1;
}

constexpr const char* kFooter = R"(Subcommand:
  trendtop merge [OPTIONS] [FILE...]   sum partial streams (-o partial) of many processes; see merge --help

Durations: 250ms, 10s, 1m30s, 2h, 1d; a bare number is seconds.
Sizes: bytes, or with K, M, G (KiB, MiB, GiB).

Examples:
  producer | trendtop --window 10s --top 10
  trendtop --listen 9999 -w 1m -s 10s       # on a terminal: the live view, redrawn every second
  trendtop --view scroll --color never big.ndjson  # one block per window, no colour
  trendtop -o json big.ndjson > windows.json  # bytes read, rate and ETA on stderr meanwhile
  trendtop -o csv --chart trends.svg archive.ndjson > report.csv   # and a chart of the top keys
  trendtop --listen 9999 --window 1m --slide 10s --output json | jq .
  trendtop --time event --window 1h --output csv archive.ndjson > report.csv
  bzcat stream.json.bz2 | trendtop -w 60s -s 20s -o json | jq .
  trendtop --extract split file.ndjson      # the Spark tutorial's pipeline, exactly
  trendtop --rank trend --baseline 30m -w 1m stream.ndjson   # rising now, not always big
  trendtop --listen 0.0.0.0:9999 --allow 10.0.0.0/8 --client-timeout 5m

Exit status: 0 ok, 1 runtime error (e.g. an unreadable file), 2 usage error.
See trendtop(1) for the full semantics.)";

// `trendtop merge [OPTIONS] [FILE...]`: the options that shape printing; the window settings come from the
// partial streams themselves.
int parse_merge_cli(int argc, char** argv, Config& config) {
  CLI::App app{
      "trendtop merge: sum the partial streams (--output partial) of any number of trendtop processes,\n"
      "window by window, and print the top-k of each window as one run over all their input would.",
      "trendtop merge"};
  app.footer(R"(Each FILE is one process's partial stream, in window order; none or '-' reads stdin.
Examples:
  parallel 'trendtop -o partial {} > {}.partial' ::: part-*.ndjson && trendtop merge part-*.partial
  trendtop merge <(ssh a trendtop -o partial log) <(ssh b trendtop -o partial log) -k 20 -o csv

Refused, exit 1: inputs counted with other settings (the first that differs is named), the same stream
twice, sums past 2^64 - 1, inputs that are no partial streams (empty, tweets), unreadable inputs.
Exit status: 0 ok, 1 inputs that cannot be merged or read, 2 usage error. See trendtop-merge(1).)");
  app.get_formatter()->column_width(30);
  config.merge = true;
  config.threads = 1;
  std::string output = "text", rank = "count", baseline;
  app.add_option("FILE", config.inputs, "Partial streams, one per process; none or '-' reads stdin")
      ->type_name("");
  app.add_option("-k,--top", config.top, "Keys shown per window; 0 shows all (default 10)")
      ->option_text("K")
      ->check(kWholeNumber);
  app.add_option("--min-count", config.min_count, "Leave out keys counted fewer than N times (default 1)")
      ->option_text("N")
      ->check(kWholeNumber);
  app.add_option("--rank", rank, "Order keys by count (default) or trend, as trendtop does")
      ->option_text("count|trend");
  app.add_option("--baseline", baseline, "--rank trend: the baseline's reach (default 1h, or the slide)")
      ->option_text("DUR");
  app.add_option("-o,--output", output, "Output format: text, tsv, csv, json (default text)")
      ->option_text("FORMAT");
  app.add_option("-n,--intervals", config.intervals, "Exit after N windows")
      ->option_text("N")
      ->check(kWholeNumber);
  app.add_flag("--stats", config.stats, "At exit, print the merge's counters to stderr");
  if (int rc = parse(app, argc, argv, false); rc >= 0) return rc;
  // Merging prints windows: every format but partial.
  std::map<std::string, OutputFormat> outputs = kOutputs;
  outputs.erase("partial");
  if (int rc = choose(outputs, "--output", output, config.output); rc >= 0) return rc;
  if (int rc = choose(kRanks, "--rank", rank, config.rank); rc >= 0) return rc;
  config.baseline_ms = 3'600'000;
  if (!baseline.empty()) {
    if (int rc = duration("--baseline", baseline, config.baseline_ms); rc >= 0) return rc;
    if (config.baseline_ms <= 0) return usage_error("--baseline must be longer than 0");
  }
  return -1;
}

}  // namespace

int parse_cli(int argc, char** argv, Config& config) {
  if (argc > 1 && std::string_view(argv[1]) == "merge") return parse_merge_cli(argc - 1, argv + 1, config);
  CLI::App app{
      "trendtop: exact top-k hashtags (mentions, cashtags, URLs, any JSON field) per tumbling or sliding\n"
      "time window, from newline-delimited JSON (Twitter v1.1, X API v2, Bluesky Jetstream, Mastodon, any\n"
      "NDJSON, or plain text) on stdin, in files, or over TCP.",
      "trendtop"};
  app.footer(kFooter);
  app.get_formatter()->column_width(30);
  app.add_option(
         "FILE", config.inputs,
         "Input files or directories, read in order, gzip/bzip2/zstd/xz as they are; none or '-' reads stdin")
      ->type_name("");

  // Declared in the order --help shows the groups; checked in the order of the pipeline.
  WindowOptions windows;
  KeyOptions keys;
  FilterOptions filters;
  OutputOptions output;
  InputOptions input;
  LongRunOptions long_runs;
  NetworkOptions network;
  TerminalOptions terminal;
  KafkaOptions kafka;
  windows.add(app, config);
  keys.add(app, config);
  filters.add(app, config);
  output.add(app, config);
  input.add(app, config);
  long_runs.add(app, config);
  network.add(app, config);
  terminal.add(app, config);
  kafka.add(app, config);
  app.set_version_flag("-V,--version", version_text(), "Print the version and exit");
  if (int rc = parse(app, argc, argv, true); rc >= 0) return rc;

  int rc = windows.check(app, config);
  if (rc < 0) rc = keys.check(app, config);
  if (rc < 0) rc = filters.check(app, config);
  if (rc < 0) rc = input.check(app, config);
  if (rc < 0) rc = output.check(app, config);
  if (rc < 0) rc = terminal.check(app, config);
  if (rc < 0) rc = long_runs.check(app, config);
  if (rc < 0) rc = network.check(app, config);
  if (rc < 0) rc = kafka.check(app, config);
  return rc;
}

}  // namespace trendtop
