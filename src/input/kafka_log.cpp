// librdkafka's log lines and error events as trendtop's warnings (KafkaLog, the callbacks), and the
// consumer's configuration from trendtop's defaults and the -X properties (kafka_impl.h).
#include "input/kafka_impl.h"

#include <algorithm>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "util/clock.h"
#include "util/log.h"

namespace trendtop {

namespace kafka_detail {

void KafkaLog::say(int level, std::string_view text) {
  std::lock_guard lock(mu_);
  if (level > 4 && !debug_) return;  // notices, info, debug: only when asked for with -X debug=...
  std::string line = normalize(text);
  if (line.empty()) return;
  if (level <= 4) {
    int64_t now = steady_ms();
    auto [it, fresh] = last_.try_emplace(line, now);
    if (!fresh && now - it->second < kLogRepeatMs) return;
    it->second = now;
    if (last_.size() > 1000) last_.clear();  // bounded; at worst a line is said again
  }
  // The broker the line is about when it starts with one, else the bootstrap list.
  std::string_view subject = brokers_;
  std::string_view rest = line;
  if (size_t colon = line.find(": ");
      colon != std::string::npos && looks_like_broker(line.substr(0, colon))) {
    subject = std::string_view(line).substr(0, colon);
    rest = std::string_view(line).substr(colon + 2);
  }
  std::string out = fmt::format("trendtop: {}kafka {}: {}\n", level <= 4 ? "warning: " : "", subject, rest);
  // One write: lines from librdkafka's threads never mix with each other or with the run's own.
  [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, out.data(), out.size());
}

bool KafkaLog::looks_like_broker(std::string_view s) {
  size_t colon = s.rfind(':');
  return colon != std::string_view::npos && colon + 1 < s.size() && s.find(' ') == std::string_view::npos &&
         std::all_of(s.begin() + colon + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string KafkaLog::normalize(std::string_view s) {
  if (s.rfind("[thrd:", 0) == 0) {
    size_t end = s.find("]: ");
    if (end != std::string_view::npos) s.remove_prefix(end + 3);
  }
  if (s.rfind("rdkafka#", 0) == 0) {
    size_t end = s.find(": ");
    if (end != std::string_view::npos) s.remove_prefix(end + 2);
  }
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (s.compare(i, 8, " (after ") == 0) {  // " (after 0ms in state CONNECT, 1 identical error(s) ...)"
      size_t depth = 0, j = i + 1;
      for (; j < s.size(); ++j) {
        if (s[j] == '(') ++depth;
        if (s[j] == ')' && --depth == 0) break;
      }
      i = j + 1;
      continue;
    }
    if (s.compare(i, 5, "ipv4#") == 0 || s.compare(i, 5, "ipv6#") == 0) {
      i += 5;
      continue;
    }
    // host:port/bootstrap, host:port/1: the broker's address is enough.
    if (s[i] == '/' && i > 0 && out.size() > 0 && out.back() >= '0' && out.back() <= '9' &&
        out.find(':') != std::string::npos) {
      size_t j = i + 1;
      if (s.compare(j, 9, "bootstrap") == 0) {
        i = j + 9;
        continue;
      }
      while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
      if (j > i + 1) {
        i = j;
        continue;
      }
    }
    out.push_back(s[i] == '\n' ? ' ' : s[i]);
    ++i;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '.')) out.pop_back();
  return out;
}

void log_cb(const rd_kafka_t*, int level, const char*, const char* buf) {
  KafkaLog::get().say(level, buf);
}

void error_cb(rd_kafka_t*, int err, const char* reason, void*) {
  // Errors librdkafka recovers from itself (a broker down, a connection lost): warnings.
  KafkaLog::get().say(3,
                      reason && *reason ? reason : rd_kafka_err2str(static_cast<rd_kafka_resp_err_t>(err)));
}

void warning(const std::string& what) {
  warn("warning: " + what);
}

bool has_prop(const Config& config, std::string_view key) {
  return std::any_of(config.kafka_props.begin(), config.kafka_props.end(),
                     [&](const auto& kv) { return kv.first == key; });
}
std::string prop(const Config& config, std::string_view key) {
  std::string v;
  for (const auto& [k, value] : config.kafka_props)
    if (k == key) v = value;
  return v;
}

// A configuration with trendtop's defaults, then the user's -X properties (which win).
rd_kafka_conf_t* make_conf(const Config& config, std::string& error) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  std::vector<std::pair<std::string, std::string>> props = {{"bootstrap.servers", config.kafka_brokers}};
  // Offsets are committed by trendtop, after the checkpoint that holds what they count. Without --group the
  // partitions are assigned, not subscribed, and nothing is committed; librdkafka's consumer queue still
  // wants a group id.
  props.push_back({"group.id", config.kafka_group.empty() ? "trendtop-unshared" : config.kafka_group});
  props.push_back({"enable.auto.commit", "false"});
  props.push_back({"enable.auto.offset.store", "false"});
  props.push_back({"auto.offset.reset", "earliest"});
  props.push_back({"enable.partition.eof", config.exit_at_end ? "true" : "false"});
  for (const auto& kv : config.kafka_props) props.push_back(kv);
  for (const auto& [k, v] : props) {
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      error = fmt::format("-X {}={}: {}", k, v, err);
      rd_kafka_conf_destroy(conf);
      return nullptr;
    }
  }
  return conf;
}

bool is_true(const std::string& v) {
  return v == "true" || v == "1" || v == "yes" || v == "on";
}
}  // namespace kafka_detail

}  // namespace trendtop
