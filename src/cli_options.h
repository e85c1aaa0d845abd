// The option groups of `trendtop --help`, one struct each (cli.cpp's parse_cli runs them): add() declares
// the group's options with CLI11, keeping their text values; check() turns those into Config fields after
// parsing, and returns -1, or the exit status (2) after printing one usage line. Checks run in the order of
// the pipeline (windows, keys, filters, input, output, terminal, long runs, network, Kafka), so a check may
// read what an earlier group decided. Only cli*.cpp know CLI11.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "config.h"

namespace trendtop::cli {

// Prints "trendtop: error: <what> (see trendtop --help)"; returns 2, the usage error status. `help_hint` is
// the command whose --help the line points to (trendtop merge sets its own).
int usage_error(const std::string& what);
extern std::string help_hint;
// A duration option's value into `out` (ms): -1, or a usage error naming the flag.
int duration(const std::string& flag, const std::string& text, int64_t& out);
// A value from a table of names: -1, or a usage error listing the names.
template <class Table, class Out>
int choose(const Table& table, const std::string& flag, const std::string& value, Out& out) {
  auto it = table.find(value);
  if (it == table.end()) {
    std::string names;
    for (const auto& [name, _] : table) names += (names.empty() ? "" : ", ") + name;
    return usage_error(fmt::format("{}: '{}' is not one of {}", flag, value, names));
  }
  out = it->second;
  return -1;
}
// CLI11's own range check prints the double range; say what is wanted instead.
extern const CLI::Validator kWholeNumber;
// Options given that the combination leaves without effect (--retry without --connect, -k with
// --print-keys, ...) are refused as a mistyped one is: -1, or a usage error naming the option and why.
// Runs after every group's check(), on the Config they filled.
int refuse_inert(const CLI::App& app, const Config& config);
extern const std::map<std::string, OutputFormat> kOutputs;
extern const std::map<std::string, RankMode> kRanks;

struct WindowOptions {
  std::string window = "10s", slide, time = "auto", lateness = "0", max_skew = "1h", max_source_lag;
  void add(CLI::App& app, Config& config);
  int check(const CLI::App& app, Config& config);
};

struct KeyOptions {
  std::string rank = "count", baseline, keys = "hashtags", extract = "auto", count, exclude_file;
  std::string case_mode = "fold", stopwords_file;
  void add(CLI::App& app, Config& config);
  int check(const CLI::App& app, Config& config);
};

struct FilterOptions {
  void add(CLI::App& app, Config& config);
  int check(const CLI::App& app, Config& config);
};

struct OutputOptions {
  std::string output = "text";
  void add(CLI::App& app, Config& config);
  int check(const CLI::App& app, Config& config);
};

struct InputOptions {
  std::string max_line = "16MiB", schema = "auto", threads;
  void add(CLI::App& app, Config& config);
  int check(const CLI::App& app, Config& config);
};

struct LongRunOptions {
  std::string idle_timeout, emit = "final", run_duration, checkpoint_every = "30s";
  void add(CLI::App& app, Config& config);
  int check(const CLI::App& app, Config& config);
};

struct NetworkOptions {
  std::vector<std::string> listen, connect, allow, headers;
  std::string retry = "forever", client_timeout = "0", max_buffered;
  void add(CLI::App& app, Config& config);
  int check(const CLI::App& app, Config& config);
};

struct TerminalOptions {
  std::string view = "auto", color = "auto";
  bool progress = false, no_progress = false;
  void add(CLI::App& app, Config& config);
  int check(const CLI::App& app, Config& config);
};

struct KafkaOptions {
  std::vector<std::string> props;
  void add(CLI::App& app, Config& config);
  int check(const CLI::App& app, Config& config);
};

}  // namespace trendtop::cli
