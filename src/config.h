// Config: everything the command line decides, as a plain struct. cli.cpp fills it and validates it;
// nothing else in the engine knows how it was spelled. Times are milliseconds since the Unix epoch.
// A leaf: every stage reads it, so it includes no project header.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace trendtop {

enum class TimeMode { Auto, Event, Arrival };
// auto: a record's entities when it has them, else its text by twitter-text's rules.
enum class ExtractMode { Auto, Entities, Text, Split };
// --keys: which kinds of keys are counted (a bit set).
enum KeyKind : uint8_t { kHashtags = 1, kMentions = 2, kCashtags = 4, kUrls = 8, kWords = 16 };
// --count: records counts a key once per record; occurrences every time it appears; users once per author.
enum class CountMode { Records, Occurrences, Users };
// partial: each closed window's complete counts, for `trendtop merge` (partial.h).
enum class OutputFormat { Text, Tsv, Csv, Json, Partial };
// --rank: by count, or by rise against each key's own baseline (rank.h).
enum class RankMode { Count, Trend };
// --schema: the stream format; auto detects it per record from the top-level keys.
enum class Schema { Auto, Twitter, XV2, Bluesky, Mastodon, Json, Text };
// --view: live (a full-screen view refreshed in place), scroll (one block per window), auto (live on a
// terminal with text output). --color: see term.h.
enum class ViewMode { Auto, Live, Scroll };
enum class ColorMode { Auto, Always, Never };

// A TCP endpoint for --listen and --connect (input/net.h parses and uses it).
struct Endpoint {
  std::string host;  // as given, brackets removed ("::1"); defaulted to 127.0.0.1 for a bare listen port
  uint16_t port = 0;
  // "127.0.0.1:9999", "[::1]:9999"
  std::string text() const {
    return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
  }
};

// --allow: a block of addresses, "10.0.0.0/8", "2001:db8::/32", or one address ("192.168.1.5", "::1").
struct Cidr {
  bool v6 = false;
  uint8_t bytes[16] = {};
  int prefix = 0;  // bits that must match
  std::string text;
};

// The command line's names of some settings, as state files' and partial streams' messages print them.
inline const char* time_name(TimeMode t) {
  return t == TimeMode::Event ? "event" : t == TimeMode::Arrival ? "arrival" : "auto";
}
inline const char* extract_name(ExtractMode e) {
  return e == ExtractMode::Entities ? "entities"
         : e == ExtractMode::Text   ? "text"
         : e == ExtractMode::Split  ? "split"
                                    : "auto";
}
inline const char* schema_name(Schema s) {
  switch (s) {
    case Schema::Twitter:
      return "twitter";
    case Schema::XV2:
      return "x-v2";
    case Schema::Bluesky:
      return "bluesky";
    case Schema::Mastodon:
      return "mastodon";
    case Schema::Json:
      return "json";
    case Schema::Text:
      return "text";
    case Schema::Auto:
      break;
  }
  return "auto";
}
inline std::string keys_name(uint8_t keys) {
  std::string names;
  for (auto [bit, name] : {std::pair{kHashtags, "hashtags"},
                           {kMentions, "mentions"},
                           {kCashtags, "cashtags"},
                           {kUrls, "urls"},
                           {kWords, "words"}})
    if (keys & bit) names += (names.empty() ? "" : ",") + std::string(name);
  return names;
}

struct Config {
  std::vector<std::string> inputs;  // "-" is stdin; read in order (main adds "-" when no source is given)
  int64_t window_ms = 10'000;
  int64_t slide_ms = 10'000;  // == window_ms: tumbling
  int64_t lateness_ms = 0;
  // --max-skew: event times this far ahead of the wall clock are rejected, a jump this far past the latest
  // event time is held until the next record confirms it, and empty runs of windows longer are skipped.
  int64_t max_skew_ms = 3'600'000;  // 0: off
  // --max-source-lag: how far the run's watermark may stay behind the newest record (past the lateness)
  // because a source is behind (count/clocks.h); 0: one clock for the run (the newest record decides).
  int64_t max_source_lag_ms = 310'000;  // the default: the window plus 5 minutes
  // --max-keys: distinct keys per pane before it turns into a heavy-hitter summary (0: no limit).
  uint64_t max_keys = 1'000'000;
  uint64_t top = 10;  // 0: every key
  uint64_t min_count = 1;
  RankMode rank = RankMode::Count;
  int64_t baseline_ms = 3'600'000;  // --baseline, for --rank trend
  TimeMode time = TimeMode::Auto;
  ExtractMode extract = ExtractMode::Auto;
  uint8_t keys = kHashtags;  // KeyKind bits
  Schema schema = Schema::Auto;
  // --schema json: JSON Pointers (or dotted paths) to the keys, the text, the time and the user.
  std::string key_field, text_field, time_field, user_field;
  CountMode count = CountMode::Records;  // cli.cpp makes split mode default to occurrences

  // Filters: a record is counted only if it passes all of them (else stats.filtered).
  std::vector<std::string> track;  // --track: any phrase in the text, case-insensitive
  std::vector<std::string> langs;  // --lang: any of these language codes
  bool no_retweets = false;        // --no-retweets
  std::vector<std::string>
      exclude;  // --exclude / --exclude-file: keys never counted (normalised as keys are)
  std::vector<std::string> stopwords;  // --stopwords FILE: words never counted, besides the built-in list
  bool keep_case = false;              // --case keep: NFC only, no case folding (and no display spellings)
  bool print_keys = false;             // --print-keys: each record's keys instead of windows
  OutputFormat output = OutputFormat::Text;
  // For people at a terminal (view.h, progress.h, chart.h).
  ViewMode view = ViewMode::Auto;
  ColorMode color = ColorMode::Auto;
  int progress = -1;        // --progress 1, --no-progress 0, -1 auto (regular files, stderr a terminal)
  std::string chart_path;   // --chart FILE.svg
  bool color_text = false;  // --color resolved by main for stdout: the text format in colour
  bool merge = false;       // `trendtop merge`: the inputs are partial streams (merge.h)
  uint64_t intervals = 0;   // 0: no limit
  bool stats = false;
  bool quiet = false;  // --quiet: no summary of the lines not counted
  uint64_t max_line = 16u << 20;
  // trendtop started with fd 0 or 1 closed (main put /dev/null there): reading "-" and writing fail (EBADF)
  bool stdin_closed = false, stdout_closed = false;
  unsigned threads = 1;           // --threads: parsing threads (cli.cpp resolves the default, the cores)
  size_t batch_bytes = 1u << 20;  // lines handed to a parsing thread at a time (tests make it small)
  // With parsing threads, regular files are read by ranges of this many bytes on those threads
  // (input/range.h; TRENDTOP_READ_RANGE sets it for tests). Half the L2 cache of a core: the bytes a range's
  // pread copies are still there when stage 1 reads them (CPU at -j 2 on the real minute, man/design.md).
  size_t read_range = 512u << 10;

  // Long-running use.
  int64_t idle_timeout_ms = -1;  // --idle-timeout: -1 default (on for live sources), 0 off
  int64_t emit_every_ms = 0;  // --emit every=DUR: also print the open window's running top-k; 0: final only
  int64_t duration_ms = 0;    // --duration: end the run after this much wall time; 0: no limit
  std::string state_path;     // --state
  int64_t checkpoint_every_ms = 30'000;
  bool flush = false;  // --flush: with --state, emit everything open at the end

  // Network sources (the union with the inputs above).
  std::vector<Endpoint> listen;   // --listen
  std::vector<Endpoint> connect;  // --connect HOST:PORT
  // --connect ws://, wss://, http://, https:// URLs (input/url_source.h), as given (input/url.h parses them).
  std::vector<std::string> connect_urls;
  std::vector<std::pair<std::string, std::string>> headers;  // -H/--header: sent to every --connect URL
  std::string
      cacert;  // --cacert FILE: the CA certificates wss:// and https:// trust, instead of the system's
  int64_t retry = -1;  // --retry: reconnect attempts after a failure; -1 forever
  uint64_t max_connections = 1024;
  std::vector<Cidr> allow;        // --allow: who may connect to --listen (empty: anyone who can reach it)
  int64_t client_timeout_ms = 0;  // --client-timeout: close an accepted connection silent this long; 0 off
  // --max-buffered: unfinished lines buffered across all connections (default 64 MiB, or --max-line if more)
  uint64_t max_buffered = 64u << 20;

  // Kafka (kafka.h): a consumer of these topics, in a group when given one.
  std::string kafka_brokers;                                     // --kafka
  std::vector<std::string> kafka_topics;                         // --topic (repeatable)
  std::string kafka_group;                                       // --group
  std::vector<std::pair<std::string, std::string>> kafka_props;  // -X key=value, passed to librdkafka
  bool exit_at_end = false;  // --exit-at-end: end once every assigned partition was read to its end
};

}  // namespace trendtop
