// The command line's source groups (cli_options.h): network sources (--listen, --connect and URLs) and Kafka.
#include "cli_options.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "input/kafka.h"
#include "input/net.h"
#include "input/url.h"
#include "input/url_source.h"
#include "util/clock.h"
#include "util/duration.h"

namespace trendtop::cli {

// --- Network sources: producers that connect to us, servers we connect to.

void NetworkOptions::add(CLI::App& app, Config& config) {
  app.add_option(
         "-l,--listen", listen,
         "Accept producers on TCP [HOST:]PORT (repeatable; HOST 127.0.0.1 by default, 0.0.0.0 for all "
         "IPv4 interfaces, [::] for all)")
      ->option_text("ADDR")
      ->allow_extra_args(false)  // one value per occurrence: a FILE after it stays a FILE
      ->group("Network sources");
  app.add_option("-c,--connect", connect,
                 "Read from a TCP server at HOST:PORT, or a WebSocket or HTTP stream at a ws://, wss://, "
                 "http:// or https:// URL (Bluesky Jetstream, Mastodon, SSE, NDJSON; " +
                     std::string(UrlSources::available() ? "built in" : "URLs not built in this binary") +
                     "), reconnecting with backoff and resuming where it left off (repeatable)")
      ->option_text("ADDR|URL")
      ->allow_extra_args(false)  // one value per occurrence: a FILE after it stays a FILE
      ->group("Network sources");
  app.add_option("--retry", retry,
                 "--connect: attempts after a failure before giving up (default forever; an HTTP 4xx is "
                 "never retried)")
      ->option_text("N|forever")
      ->group("Network sources");
  app.add_option("-H,--header", headers,
                 "--connect URL: send this HTTP header, e.g. 'Authorization: Bearer TOKEN' (repeatable; "
                 "never printed)")
      ->option_text("'NAME: VALUE'")
      ->allow_extra_args(false)
      ->group("Network sources");
  app.add_option("--cacert", config.cacert,
                 "--connect wss:// and https://: trust the CA certificates in this PEM file instead of the "
                 "system's (as curl)")
      ->option_text("FILE")
      ->group("Network sources");
  app.add_option("--allow", allow,
                 "--listen: accept producers only from this address or block, e.g. 10.0.0.0/8 (repeatable)")
      ->option_text("CIDR")
      ->allow_extra_args(false)
      ->group("Network sources");
  app.add_option("--client-timeout", client_timeout,
                 "--listen: close a producer's connection after DUR without a byte (default 0: never)")
      ->option_text("DUR")
      ->group("Network sources");
  app.add_option("--max-connections", config.max_connections,
                 "--listen: producers connected at once; more wait (default 1024)")
      ->option_text("N")
      ->check(kWholeNumber)
      ->group("Network sources");
  app.add_option("--max-buffered", max_buffered,
                 "Memory for unfinished lines of all connections; past it the longest are dropped (default "
                 "64MiB, or --max-line if larger)")
      ->option_text("BYTES")
      ->group("Network sources");
}

int NetworkOptions::check(const CLI::App&, Config& config) {
  if (int rc = duration("--client-timeout", client_timeout, config.client_timeout_ms); rc >= 0) return rc;
  for (auto [flag, list, out] : {std::tuple{"--listen", &listen, &config.listen},
                                 std::tuple{"--connect", &connect, &config.connect}}) {
    for (const std::string& text : *list) {
      std::string err;
      if (out == &config.connect && looks_like_url(text)) {
        if (!parse_url(text, err)) return usage_error(fmt::format("{}: {}", flag, err));
        config.connect_urls.push_back(text);
        continue;
      }
      auto ep = parse_endpoint(text, out == &config.connect, err);
      if (ep && out == &config.listen && !resolvable(*ep, err)) ep.reset();
      if (!ep) return usage_error(fmt::format("{}: {}", flag, err));
      out->push_back(*ep);
    }
  }
  for (const std::string& text : allow) {
    std::string err;
    auto block = parse_cidr(text, err);
    if (!block) return usage_error(fmt::format("--allow: {}", err));
    config.allow.push_back(*block);
  }
  if (retry != "forever") {
    if (retry.empty() || retry.size() > 9 || retry.find_first_not_of("0123456789") != std::string::npos)
      return usage_error(fmt::format("--retry: '{}' is not a whole number >= 0 or 'forever'", retry));
    config.retry = std::stoll(retry);
  }
  if (config.max_connections == 0) return usage_error("--max-connections must be at least 1");
  if (max_buffered.empty()) {
    config.max_buffered = std::max<uint64_t>(config.max_buffered, config.max_line);
  } else {
    auto size = parse_size(max_buffered);
    if (!size || *size == 0 || *size > (1ull << 40))
      return usage_error(fmt::format("--max-buffered: '{}' is not a size from 1 byte to 1TiB", max_buffered));
    config.max_buffered = *size;
  }
  // Header values are credentials: no message repeats one.
  for (const std::string& h : headers) {
    size_t colon = h.find(':');
    std::string_view name = std::string_view(h).substr(0, colon == std::string::npos ? 0 : colon);
    bool token = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    });
    if (!token) return usage_error("-H: expected 'NAME: VALUE', NAME letters, digits and -");
    std::string_view value = std::string_view(h).substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
      return usage_error(fmt::format("-H {}: the value has a line break or NUL", name));
    config.headers.emplace_back(name, value);
  }
  if (config.connect_urls.empty()) {
    if (!headers.empty())
      return usage_error("-H/--header needs a --connect URL (ws://, wss://, http://, https://)");
    if (!config.cacert.empty()) return usage_error("--cacert needs a --connect wss:// or https:// URL");
  }
  return -1;
}

// --- Kafka: a consumer of topics, alone or in a group.

void KafkaOptions::add(CLI::App& app, Config& config) {
  app.add_option("--kafka", config.kafka_brokers,
                 "Consume Kafka from these brokers, host:port[,...], with --topic (" +
                     std::string(KafkaSource::available() ? "built in" : "not built in this binary") + ")")
      ->option_text("BROKERS")
      ->group("Kafka");
  app.add_option("--topic", config.kafka_topics, "--kafka: the topic to read (repeatable)")
      ->option_text("TOPIC")
      ->allow_extra_args(false)
      ->group("Kafka");
  app.add_option("--group", config.kafka_group,
                 "--kafka: a consumer group, whose processes share the partitions (default: none)")
      ->option_text("GROUP")
      ->group("Kafka");
  app.add_option("-X", props, "--kafka: a librdkafka property (repeatable), as kcat -X")
      ->option_text("KEY=VALUE")
      ->allow_extra_args(false)
      ->group("Kafka");
  app.add_flag("--exit-at-end", config.exit_at_end, "--kafka: end once every partition was read to its end")
      ->group("Kafka");
}

int KafkaOptions::check(const CLI::App& app, Config& config) {
  for (const std::string& kv : props) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) return usage_error(fmt::format("-X: '{}' is not KEY=VALUE", kv));
    config.kafka_props.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  if (config.kafka_brokers.empty()) {
    for (const char* flag : {"--topic", "--group", "-X", "--exit-at-end"})
      if (app.count(flag)) return usage_error(fmt::format("{} needs --kafka BROKERS", flag));
  } else if (config.kafka_topics.empty()) {
    return usage_error("--kafka needs --topic TOPIC");
  }
  return -1;
}

}  // namespace trendtop::cli
