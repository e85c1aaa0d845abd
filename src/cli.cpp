// The command line: CLI11 in, a validated Config out. Options are declared and checked by group
// (cli_options.h, one struct per --help group); `trendtop merge` has a parser of its own.
#include "cli.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <sys/ioctl.h>
#include <unistd.h>

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

// --- Help, wrapped to the terminal.

// The columns --help may use: $COLUMNS when set (as shells and `COLUMNS=80 trendtop --help` give it), else
// the terminal's width, else 80; never more than 100 (long lines are hard to read) nor less than 60.
size_t help_width() {
  long columns = 0;
  if (const char* env = std::getenv("COLUMNS"); env != nullptr && *env != '\0') {
    char* end = nullptr;
    columns = std::strtol(env, &end, 10);
    if (*end != '\0') columns = 0;
  }
  struct winsize ws {};
  if (columns <= 0 && isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
    columns = ws.ws_col;
  if (columns <= 0) columns = 80;
  return static_cast<size_t>(std::clamp(columns, 60L, 100L));
}

// `text` word-wrapped to `width` columns: its first line continues a line already `used` columns long,
// the others start with `indent` spaces. Explicit line breaks are kept. (Help text is ASCII: a byte is a
// column.)
std::string wrap(std::string_view text, size_t width, size_t used, size_t indent) {
  std::string out;
  size_t column = used;
  bool line_start = true;
  for (size_t at = 0; at <= text.size();) {
    size_t nl = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, nl - at);
    for (size_t w = 0; w < line.size();) {
      size_t space = std::min(line.find(' ', w), line.size());
      std::string_view word = line.substr(w, space - w);
      w = space + 1;
      if (word.empty()) continue;
      if (!line_start && column + 1 + word.size() > width) {
        out += '\n';
        out.append(indent, ' ');
        column = indent;
        line_start = true;
      }
      if (!line_start) {
        out += ' ';
        ++column;
      }
      out += word;
      column += word.size();
      line_start = false;
    }
    at = nl + 1;
    if (nl < text.size()) {
      out += '\n';
      out.append(indent, ' ');
      column = indent;
      line_start = true;
    }
  }
  return out;
}

// CLI11's formatter, with every line wrapped to the terminal and one blank line between groups.
class Help final : public CLI::Formatter {
 public:
  Help() : width_(help_width()) { column_width(26); }

  std::string make_option(const CLI::Option* opt, bool positional) const override {
    std::string name = "  " + make_option_name(opt, positional) + make_option_opts(opt);
    std::string desc = make_option_desc(opt);
    if (desc.empty()) return name + "\n";
    if (name.size() + 2 > column_width_)
      return name + "\n" + std::string(column_width_, ' ') +
             wrap(desc, width_, column_width_, column_width_) + "\n";
    name.resize(column_width_, ' ');
    return name + wrap(desc, width_, column_width_, column_width_) + "\n";
  }

  std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode) const override {
    std::string out = wrap(app->get_description(), width_, 0, 0) + "\n\n";
    out += make_usage(app, name);
    auto group = [&](const std::string& title, const std::vector<const CLI::Option*>& opts, bool positional) {
      if (opts.empty()) return;
      out += "\n" + title + ":\n";
      for (const CLI::Option* opt : opts) out += make_option(opt, positional);
    };
    group("Arguments", app->get_options([](const CLI::Option* o) { return o->get_positional(); }), true);
    for (const std::string& g : app->get_groups())
      group(g,
            app->get_options([&](const CLI::Option* o) { return o->get_group() == g && o->nonpositional(); }),
            false);
    // The footer: each line wrapped on its own, continued two columns past its own indentation.
    const std::string footer_text = app->get_footer();
    std::string_view footer = footer_text;
    if (!footer.empty()) out += "\n";
    for (size_t at = 0; at < footer.size();) {
      size_t nl = std::min(footer.find('\n', at), footer.size());
      std::string_view line = footer.substr(at, nl - at);
      size_t lead = std::min(line.find_first_not_of(' '), line.size());
      if (line.size() <= width_) {  // as written: examples keep their alignment
        out.append(line);
        out += '\n';
      } else {
        out.append(lead, ' ');
        out += wrap(line.substr(lead), width_, lead, lead == 0 ? 0 : lead + 2) + "\n";
      }
      at = nl + 1;
    }
    return out;
  }

 private:
  size_t width_;
};

// --- CLI11's errors, in plain words.

// Edits (insert, delete, replace, swap two neighbours) from a to b.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

// The long options of `app` nearest to `typed` (--windw: --window): those a few edits away, or those it
// begins (--max: --max-keys, --max-line, ...); "" when none is near.
std::string nearest(const CLI::App& app, std::string_view typed) {
  if (typed.substr(0, 2) != "--") return "";
  std::string_view word = typed.substr(
      2, typed.find('=') == std::string_view::npos ? std::string_view::npos : typed.find('=') - 2);
  std::vector<std::string> near, prefixed;
  size_t best = 3;
  for (const CLI::Option* opt : app.get_options()) {
    for (const std::string& name : opt->get_lnames()) {
      size_t d = edit_distance(word, name);
      if (d <= name.size() / 3 + 1 && d < best) {
        best = d;
        near.clear();
      }
      if (d == best && d <= name.size() / 3 + 1) near.push_back("--" + name);
      if (word.size() >= 3 && name.size() > word.size() && name.compare(0, word.size(), word) == 0)
        prefixed.push_back("--" + name);
    }
  }
  const std::vector<std::string>& pick = near.empty() ? prefixed : near;
  std::string list;
  for (size_t i = 0; i < pick.size() && i < 4; ++i)
    list += (i == 0 ? "" : i + 1 == std::min<size_t>(pick.size(), 4) ? " or " : ", ") + pick[i];
  return list;
}

// One plain line for a CLI11 parse error (its own text is often in its own terms: "At Most 1 required").
// `other`: the options of the other command line (trendtop's for trendtop merge), to say where an option
// belongs.
std::string plain_error(const CLI::App& app, const CLI::ParseError& e, const CLI::App* other,
                        std::string_view command) {
  std::string what = e.what();
  if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
    for (const std::string& arg : app.remaining()) {
      if (arg.size() < 2 || arg[0] != '-') return fmt::format("unexpected argument '{}'", arg);
      std::string name = arg.substr(0, arg.find('='));
      if (other != nullptr && name.size() > 2 && other->get_option_no_throw(name) != nullptr)
        return fmt::format("{} is an option of trendtop, not of {}", name, command);
      std::string near = nearest(app, arg);
      if (!near.empty()) return fmt::format("unknown option {}; did you mean {}?", name, near);
      if (std::string there = other != nullptr ? nearest(*other, arg) : ""; !there.empty())
        return fmt::format("unknown option {} (trendtop has {}, {} has not)", name, there, command);
      return fmt::format("unknown option {}", name);
    }
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr) {
    size_t colon = what.find(": ");
    std::string name = what.substr(0, colon);
    // "--top: At Most 1 required but received 2": a repeated option that takes one value.
    if (colon != std::string::npos && what.find(": At Most 1 required but received ") == colon)
      return fmt::format("{} was given {} times; it takes one value", name,
                         what.substr(colon + std::string_view(": At Most 1 required but received ").size()));
    // "--window: 1 required TEXT missing": an option at the end of the line, without its value.
    if (colon != std::string::npos && what.size() > 8 && what.compare(what.size() - 8, 8, " missing") == 0) {
      const CLI::Option* opt = app.get_option_no_throw(name);
      std::string value = opt != nullptr ? opt->get_option_text() : "";
      return value.empty() ? fmt::format("{} needs a value", name)
                           : fmt::format("{} needs a value ({})", name, value);
    }
  }
  return what;
}

// Runs CLI11 over argv: -1 when parsed, else the exit status (help and version print and exit 0).
int parse(CLI::App& app, int argc, char** argv, bool version, const CLI::App* other = nullptr,
          std::string_view command = "trendtop") {
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
    return usage_error(plain_error(app, e, other, command));
  }
  return -1;
}

constexpr const char* kFooter = R"(Subcommand:
  trendtop merge [FILE...]    sum partial streams (-o partial); see merge --help

Durations: 250ms, 10s, 1m30s, 2h, 1d; a bare number is seconds.
Sizes: bytes, or with K, M, G (KiB, MiB, GiB).

Examples:
  producer | trendtop --window 10s --top 10
  trendtop --listen 9999 -w 1m -s 10s     # on a terminal: the live view
  trendtop --view scroll --color never big.ndjson     # one block per window
  trendtop -o json big.ndjson > windows.json     # progress on stderr meanwhile
  trendtop -o csv --chart trends.svg archive.ndjson > report.csv
  trendtop --listen 9999 --window 1m --slide 10s --output json | jq .
  bzcat stream.json.bz2 | trendtop -w 60s -s 20s -o json | jq .
  trendtop --extract split file.ndjson    # the Spark tutorial's pipeline, exactly
  trendtop --rank trend --baseline 30m -w 1m stream.ndjson   # rising, not big
  trendtop --listen 0.0.0.0:9999 --allow 10.0.0.0/8 --client-timeout 5m

Exit status: 0 ok, 1 runtime error (e.g. an unreadable file), 2 usage error.
See trendtop(1) for the full semantics.)";

// Every option of trendtop's own command line, by --help group.
struct MainOptions {
  WindowOptions windows;
  KeyOptions keys;
  FilterOptions filters;
  OutputOptions output;
  InputOptions input;
  LongRunOptions long_runs;
  NetworkOptions network;
  TerminalOptions terminal;
  KafkaOptions kafka;

  // Declared in the order --help shows the groups.
  void add(CLI::App& app, Config& config) {
    app.description(
        "trendtop: exact top-k hashtags (mentions, cashtags, URLs, any JSON field) per tumbling or sliding "
        "time "
        "window, from newline-delimited JSON (Twitter v1.1, X API v2, Bluesky Jetstream, Mastodon, any "
        "NDJSON, "
        "or plain text) on stdin, in files, or over TCP.");
    app.footer(kFooter);
    app.formatter(std::make_shared<Help>());
    app.add_option("FILE", config.inputs,
                   "Input files or directories, read in order, gzip/bzip2/zstd/xz as they are; none or '-' "
                   "reads stdin")
        ->type_name("");
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
  }
  // Checked in the order of the pipeline, then for options the combination leaves without effect.
  int check(const CLI::App& app, Config& config) {
    int rc = windows.check(app, config);
    if (rc < 0) rc = keys.check(app, config);
    if (rc < 0) rc = filters.check(app, config);
    if (rc < 0) rc = input.check(app, config);
    if (rc < 0) rc = output.check(app, config);
    if (rc < 0) rc = terminal.check(app, config);
    if (rc < 0) rc = long_runs.check(app, config);
    if (rc < 0) rc = network.check(app, config);
    if (rc < 0) rc = kafka.check(app, config);
    if (rc < 0) rc = refuse_inert(app, config);
    return rc;
  }
};

// `trendtop merge [OPTIONS] [FILE...]`: the options that shape printing; the window settings come from the
// partial streams themselves.
int parse_merge_cli(int argc, char** argv, Config& config) {
  CLI::App app{
      "trendtop merge: sum the partial streams (--output partial) of any number of trendtop processes, "
      "window by window, and print the top-k of each window as one run over all their input would.",
      "trendtop merge"};
  app.formatter(std::make_shared<Help>());
  app.footer(R"(Each FILE is one process's partial stream, in window order; none or '-' reads stdin.

Examples:
  parallel 'trendtop -o partial {} > {}.partial' ::: part-*.ndjson
  trendtop merge part-*.partial
  trendtop merge -k 20 -o csv <(ssh a trendtop -o partial log) \
                              <(ssh b trendtop -o partial log)

Refused, exit 1: inputs counted with other settings (the first that differs
is named), the same stream twice, sums past 2^64 - 1, inputs that are no
partial streams (empty, tweets), unreadable inputs.
Exit status: 0 ok, 1 inputs that cannot be merged or read, 2 usage error.
See trendtop-merge(1).)");
  config.merge = true;
  config.threads = 1;
  help_hint = "trendtop merge --help";
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
  // trendtop's own options, to tell a user who gives one here where it belongs.
  CLI::App main_app{"", "trendtop"};
  Config unused;
  MainOptions main_options;
  main_options.add(main_app, unused);
  if (int rc = parse(app, argc, argv, false, &main_app, "trendtop merge"); rc >= 0) return rc;
  // Merging prints windows: every format but partial.
  std::map<std::string, OutputFormat> outputs = kOutputs;
  outputs.erase("partial");
  if (int rc = choose(outputs, "--output", output, config.output); rc >= 0) return rc;
  if (int rc = choose(kRanks, "--rank", rank, config.rank); rc >= 0) return rc;
  config.baseline_ms = 3'600'000;
  if (!baseline.empty()) {
    if (int rc = duration("--baseline", baseline, config.baseline_ms); rc >= 0) return rc;
    if (config.baseline_ms <= 0) return usage_error("--baseline must be longer than 0");
    if (config.rank != RankMode::Trend) return usage_error("--baseline needs --rank trend");
  }
  return -1;
}

}  // namespace

int parse_cli(int argc, char** argv, Config& config) {
  if (argc > 1 && std::string_view(argv[1]) == "merge") return parse_merge_cli(argc - 1, argv + 1, config);
  CLI::App app{"", "trendtop"};
  MainOptions options;
  options.add(app, config);
  if (int rc = parse(app, argc, argv, true); rc >= 0) return rc;
  return options.check(app, config);
}

}  // namespace trendtop
