#include "input/kafka.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include "input/framer.h"
#include "input/reader.h"
#include "util/clock.h"
#include "util/log.h"

namespace trendtop {

namespace {

// Messages handed to the sink per poll() call, so the other sources and the clock get their turn.
constexpr int kMessagesPerPoll = 4096;
// How long the end of a run may wait for the broker, in all: a commit (all but the last 400 ms), then
// leaving the group.
constexpr int64_t kCloseBudgetMs = 1200;
constexpr int64_t kLeaveMs = 400;
// A commit before handing partitions over, or one whose records wait to be counted: how long to wait.
constexpr int64_t kCommitWaitMs = 10'000;
// Held records (batch runs in a group) beyond which reading pauses until a commit lets them be counted.
constexpr size_t kHeldMessages = 100'000;
constexpr size_t kHeldBytes = 256u << 20;
// After a refused commit, the next try (a rebalance usually settles within a few seconds).
constexpr int64_t kCommitRetryMs = 200;
// No group: how long the topics' partitions may take to look up before the run fails.
constexpr int64_t kMetadataDeadlineMs = 10'000;
// The same librdkafka message is said again after this long.
constexpr int64_t kLogRepeatMs = 5 * 60'000;

// librdkafka's log lines and error events as trendtop's one-line warnings: "[thrd:...]: " prefixes,
// timings ("(after 0ms in state CONNECT)") and broker ids ("host:port/1", "/bootstrap") are dropped, so
// that the same trouble reads the same each time and is said once (again after five minutes). Called from
// librdkafka's threads: the state is process-wide, behind a mutex, and outlives every handle.
class KafkaLog {
 public:
  static KafkaLog& get() {
    static KafkaLog* log = new KafkaLog;  // never destroyed: librdkafka threads may log until they end
    return *log;
  }
  void configure(const std::string& brokers, bool debug) {
    std::lock_guard lock(mu_);
    brokers_ = brokers;
    debug_ = debug;
  }
  // level: syslog's (0 emergency .. 7 debug).
  void say(int level, std::string_view text) {
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

 private:
  static bool looks_like_broker(std::string_view s) {
    size_t colon = s.rfind(':');
    return colon != std::string_view::npos && colon + 1 < s.size() && s.find(' ') == std::string_view::npos &&
           std::all_of(s.begin() + colon + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
  }
  static std::string normalize(std::string_view s) {
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

  std::mutex mu_;
  std::unordered_map<std::string, int64_t> last_;
  std::string brokers_;
  bool debug_ = false;
};

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

}  // namespace

struct KafkaSource::Impl {
  const Config& config;
  LineSink& sink;
  KafkaSource* self = nullptr;
  rd_kafka_t* rk = nullptr;
  rd_kafka_queue_t* queue = nullptr;    // the consumer queue: messages, rebalances, errors
  rd_kafka_queue_t* commits = nullptr;  // commit results, as events
  int pipe_r = -1, pipe_w = -1;
  const bool group;
  // Batch runs in a group without --state: records are counted once a commit covering them succeeded.
  const bool hold;

  struct Part {
    std::string topic;
    int32_t partition = 0;
    uint64_t epoch =
        0;  // which assignment of the partition this is: results of an older one's commits are stale
    bool eof = false;
    std::deque<rd_kafka_message_t*> held;  // read, waiting for a commit to be counted (hold)
    uint32_t clock = 0;                    // its source in the sink: each partition has its own clock
  };
  std::vector<Part> assigned;
  uint64_t epochs = 0;
  size_t held_messages = 0, held_bytes = 0;
  bool paused = false;

  // The commit in flight whose success lets held records be counted (hold), or that commits the end of
  // the partitions (--exit-at-end with --state). One at a time.
  struct Flight {
    uint64_t id = 0;
    bool at_end = false;
    int64_t sent_ms = 0;                              // steady clock
    std::vector<std::pair<uint64_t, int64_t>> parts;  // epoch-tagged: (epoch, offset) per partition below
    std::vector<std::pair<std::string, int32_t>> names;
  };
  std::optional<Flight> flight;
  uint64_t commit_ids = 0;
  int64_t next_commit_ms = 0;  // steady clock: not before (after a refusal)
  std::string last_refusal;    // said once until it changes

  bool assignment_seen = false;  // this generation's assignment came (possibly empty)
  bool at_end_committed = false;
  bool closing = false;
  bool commits_allowed = true;
  bool failed = false;
  bool abandoned = false;  // close() ran out of time: the handle is not destroyed (see ~Impl)

  // No group: the topics' partitions, looked up from the loop (never blocking it for long).
  std::vector<rd_kafka_topic_t*> topic_handles;
  rd_kafka_topic_partition_list_t* found = nullptr;
  size_t topics_found = 0;
  int64_t metadata_deadline = 0, metadata_next = 0, metadata_timeout = 100;
  std::string metadata_error;

  SourceStats* stats = nullptr;  // during poll() and settle(): where counted messages are accounted
  std::string line;              // a message's line, with the parser's padding after it

  Impl(const Config& c, LineSink& p)
      : config(c),
        sink(p),
        group(!c.kafka_group.empty()),
        hold(!c.kafka_group.empty() && c.exit_at_end && c.state_path.empty()) {}

  ~Impl() {
    drop_all();
    if (found) rd_kafka_topic_partition_list_destroy(found);
    for (rd_kafka_topic_t* t : topic_handles) rd_kafka_topic_destroy(t);
    if (commits) rd_kafka_queue_destroy(commits);
    if (queue) rd_kafka_queue_destroy(queue);
    // Closed by close() (or an error path, which leaves without committing): librdkafka must not wait for
    // the broker again. When the group could not be left in time, librdkafka would wait for the group
    // coordinator up to session.timeout.ms before it lets go: the handle is left to the process's exit.
    if (rk && !abandoned) rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
    if (pipe_r >= 0) ::close(pipe_r);
    if (pipe_w >= 0) ::close(pipe_w);
  }

  bool stopping() const { return self->stopping && self->stopping(); }

  Part* part(std::string_view topic, int32_t partition) {
    for (Part& p : assigned)
      if (p.partition == partition && p.topic == topic) return &p;
    return nullptr;
  }

  SourceOffset* offset_of(std::string_view topic, int32_t partition) {
    for (SourceOffset& o : sink.offsets())
      if (o.partition == partition && o.topic == topic) return &o;
    return nullptr;
  }

  void drop(Part& p) {
    for (rd_kafka_message_t* m : p.held) {
      --held_messages;
      held_bytes -= m->len;
      rd_kafka_message_destroy(m);
    }
    p.held.clear();
  }
  void drop_all() {
    for (Part& p : assigned) drop(p);
  }

  // --- counting ---

  void feed(const rd_kafka_message_t* m) {
    // Its partition's clock (a record of a partition no longer assigned goes to the sink's default one).
    std::string_view topic = rd_kafka_topic_name(m->rkt);
    Part* from = part(topic, m->partition);
    sink.from_source(from ? from->clock : 0, wall_ms());
    rd_kafka_timestamp_type_t type;
    int64_t ts = rd_kafka_message_timestamp(m, &type);
    // A log timestamp stands in for the wall clock (and for a missing event time); one that is missing (-1)
    // or beyond the years a record may carry (see kMaxTime) is no clock at all.
    int64_t arrival = config.time == TimeMode::Arrival || ts < 0 || ts > kMaxTime ? wall_ms() : ts;
    const char* p = static_cast<const char*>(m->payload);
    size_t left = p ? m->len : 0;
    if (stats) stats->bytes += left;
    sink.count_bytes(left);
    // One record per line (most messages are one line without a newline).
    while (left > 0 || p == m->payload) {
      const char* nl = left ? static_cast<const char*>(std::memchr(p, '\n', left)) : nullptr;
      size_t n = nl ? static_cast<size_t>(nl - p) : left;
      size_t text = n > 0 && p[n - 1] == '\r' ? n - 1 : n;
      Line l;
      if (text > config.max_line) {
        l.kind = Line::Kind::Oversized;
      } else {
        line.assign(p ? p : "", text);
        line.append(Framer::kPadding, ' ');
        l.text = std::string_view(line.data(), text);
      }
      if (stats) ++stats->lines;
      sink.line(l, arrival);
      if (!nl) break;
      p = nl + 1;
      left -= n + 1;
      if (left == 0) break;  // a final newline ends the last line
    }
    if (SourceOffset* o = offset_of(topic, m->partition)) {
      o->next = m->offset + 1;
    } else {
      sink.offsets().push_back({std::string(topic), m->partition, m->offset + 1, {}, {}});
    }
  }

  // Held records of `p` below `upto` (a committed offset): counted now.
  void release(Part& p, int64_t upto) {
    while (!p.held.empty() && p.held.front()->offset < upto) {
      rd_kafka_message_t* m = p.held.front();
      p.held.pop_front();
      --held_messages;
      held_bytes -= m->len;
      if (!closing) feed(m);
      rd_kafka_message_destroy(m);
    }
  }

  // --- commits ---

  // The offsets of the partitions still assigned, as the state has them: what a commit says.
  rd_kafka_topic_partition_list_t* commit_list(const rd_kafka_topic_partition_list_t* only = nullptr) {
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(8);
    for (const SourceOffset& o : sink.offsets()) {
      bool mine = false;
      if (only) {
        for (int i = 0; i < only->cnt && !mine; ++i)
          mine = only->elems[i].partition == o.partition && o.topic == only->elems[i].topic;
      } else {
        mine = part(o.topic, o.partition) != nullptr;
      }
      if (mine) rd_kafka_topic_partition_list_add(list, o.topic.c_str(), o.partition)->offset = o.next;
    }
    return list;
  }

  // Sends a commit; its result comes as an event on `commits` with the returned id (0: nothing sent).
  uint64_t send_commit(const rd_kafka_topic_partition_list_t* list) {
    if (!group || list->cnt == 0) return 0;
    uint64_t id = ++commit_ids;
    rd_kafka_resp_err_t err = rd_kafka_commit_queue(rk, list, commits, nullptr,
                                                    reinterpret_cast<void*>(static_cast<uintptr_t>(id)));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      refused(err);
      return 0;
    }
    return id;
  }

  // A commit's failure, said once until the reason changes.
  void refused(rd_kafka_resp_err_t err) {
    // Refused because the group is rebalancing, or has moved on: expected, and handled (the records wait,
    // or the next checkpoint commits again; a refusal that loses something is said where it happens).
    if (err == RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS || err == RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION ||
        err == RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID || err == RD_KAFKA_RESP_ERR__STATE)
      return;
    std::string why = rd_kafka_err2str(err);
    if (why == last_refusal) return;
    last_refusal = why;
    warning(fmt::format("kafka: commit refused ({}); {}", why,
                        hold
                            ? "the records it covers wait for the next try, or for the partition's next owner"
                            : "trying again"));
  }

  // Waits for the result of commit `id` (serving the other commit results meanwhile), at most until
  // `deadline` (steady clock) or the run's end when `stop_early`. True when it came: `err` says how it went.
  bool wait_commit(uint64_t id, int64_t deadline, bool stop_early, rd_kafka_resp_err_t& err) {
    for (;;) {
      int64_t left = deadline - steady_ms();
      if (left <= 0 || (stop_early && stopping())) return false;
      rd_kafka_event_t* ev = rd_kafka_queue_poll(commits, static_cast<int>(std::min<int64_t>(left, 50)));
      if (!ev) continue;
      bool mine = false;
      if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_OFFSET_COMMIT) {
        mine = on_commit(ev, id, err);
      }
      rd_kafka_event_destroy(ev);
      if (mine) return true;
    }
  }

  // A commit result. Returns whether it is commit `want`'s (then `err` is its outcome).
  bool on_commit(rd_kafka_event_t* ev, uint64_t want, rd_kafka_resp_err_t& err) {
    uint64_t id = reinterpret_cast<uintptr_t>(rd_kafka_event_opaque(ev));
    rd_kafka_resp_err_t e = rd_kafka_event_error(ev);
    const rd_kafka_topic_partition_list_t* list = rd_kafka_event_topic_partition_list(ev);
    if (e == RD_KAFKA_RESP_ERR_NO_ERROR && list)
      for (int i = 0; i < list->cnt; ++i)
        if (list->elems[i].err) e = list->elems[i].err;
    if (flight && flight->id == id) {
      Flight f = std::move(*flight);
      flight.reset();
      if (e == RD_KAFKA_RESP_ERR_NO_ERROR) {
        last_refusal.clear();
        if (f.at_end) at_end_committed = true;
        for (size_t i = 0; i < f.names.size(); ++i) {
          Part* p = part(f.names[i].first, f.names[i].second);
          if (p && p->epoch == f.parts[i].first) release(*p, f.parts[i].second);
        }
      } else if (e != RD_KAFKA_RESP_ERR__NO_OFFSET) {
        refused(e);
        next_commit_ms = steady_ms() + kCommitRetryMs;
      }
    } else if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR__NO_OFFSET && id != want) {
      refused(e);  // a checkpoint's commit: the next checkpoint commits again
    }
    if (id != want) return false;
    err = e;
    return true;
  }

  // Serves the commit results that came.
  void drain_commits() {
    rd_kafka_resp_err_t ignored;
    while (rd_kafka_event_t* ev = rd_kafka_queue_poll(commits, 0)) {
      if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_OFFSET_COMMIT) on_commit(ev, 0, ignored);
      rd_kafka_event_destroy(ev);
    }
  }

  // hold: commits the offsets after the held records of every partition, unless a commit is in flight.
  void commit_held() {
    // A commit librdkafka never answers (a broker that hangs): settled as unknown after a while, so that
    // commits go on.
    if (flight && steady_ms() - flight->sent_ms > kCommitWaitMs) settle_flight(steady_ms(), false);
    if (flight || held_messages == 0 || steady_ms() < next_commit_ms || closing) return;
    rd_kafka_topic_partition_list_t* list =
        rd_kafka_topic_partition_list_new(static_cast<int>(assigned.size()));
    Flight f;
    for (Part& p : assigned) {
      if (p.held.empty()) continue;
      int64_t next = p.held.back()->offset + 1;
      rd_kafka_topic_partition_list_add(list, p.topic.c_str(), p.partition)->offset = next;
      f.parts.push_back({p.epoch, next});
      f.names.push_back({p.topic, p.partition});
    }
    f.id = send_commit(list);
    f.sent_ms = steady_ms();
    rd_kafka_topic_partition_list_destroy(list);
    if (f.id == 0) {
      next_commit_ms = steady_ms() + kCommitRetryMs;
      return;
    }
    flight = std::move(f);
  }

  // hold: settles the commit in flight, waiting at most until `deadline`. When its outcome never came,
  // its records are counted (and said): they may be counted again by the partition's next owner, but
  // are never lost.
  void settle_flight(int64_t deadline, bool stop_early) {
    if (!flight) return;
    rd_kafka_resp_err_t err;
    uint64_t id = flight->id;
    if (wait_commit(id, deadline, stop_early, err)) return;  // on_commit released (or not) its records
    Flight f = std::move(*flight);
    flight.reset();
    warning(
        "kafka: no answer to a commit in time: the records it covers are counted, and may be counted again "
        "by their partition's next owner");
    for (size_t i = 0; i < f.names.size(); ++i) {
      Part* p = part(f.names[i].first, f.names[i].second);
      if (p && p->epoch == f.parts[i].first) release(*p, f.parts[i].second);
    }
  }

  // Too much held (the commits do not get through): pause reading until they do.
  void pace() {
    bool over = held_messages > kHeldMessages || held_bytes > kHeldBytes;
    bool under = held_messages < kHeldMessages / 2 && held_bytes < kHeldBytes / 2;
    if (paused == over || (paused && !under)) return;
    rd_kafka_topic_partition_list_t* list =
        rd_kafka_topic_partition_list_new(static_cast<int>(assigned.size()));
    for (const Part& p : assigned) rd_kafka_topic_partition_list_add(list, p.topic.c_str(), p.partition);
    if (over)
      rd_kafka_pause_partitions(rk, list);
    else
      rd_kafka_resume_partitions(rk, list);
    paused = over;
    rd_kafka_topic_partition_list_destroy(list);
  }

  // --- rebalances ---

  void assign(rd_kafka_topic_partition_list_t* parts) {
    // With --state, a partition the state has an offset for goes on from there, unless the group has gone
    // further since (another process read on from this one's last commit): then from the group's offset.
    rd_kafka_topic_partition_list_t* committed = nullptr;
    if (!hold && group && !sink.offsets().empty() && parts->cnt > 0 && !stopping()) {
      committed = rd_kafka_topic_partition_list_copy(parts);
      if (rd_kafka_committed(rk, committed, 2000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        rd_kafka_topic_partition_list_destroy(committed);
        committed = nullptr;
      }
    }
    for (int i = 0; i < parts->cnt; ++i) {
      rd_kafka_topic_partition_t& p = parts->elems[i];
      if (!hold) {
        if (const SourceOffset* o = offset_of(p.topic, p.partition)) {
          p.offset = o->next;
          if (committed && committed->elems[i].offset > o->next) p.offset = committed->elems[i].offset;
        }
      }
      if (!part(p.topic, p.partition)) {
        Part a;
        a.topic = p.topic;
        a.partition = p.partition;
        a.epoch = ++epochs;
        // Named as --state keeps its clock: the same partition comes back after a restart.
        a.clock = sink.open_source(fmt::format("kafka {}[{}]", a.topic, a.partition), true, wall_ms());
        assigned.push_back(std::move(a));
      }
    }
    if (committed) rd_kafka_topic_partition_list_destroy(committed);
    assignment_seen = true;
    at_end_committed = false;
  }

  void revoke(rd_kafka_topic_partition_list_t* parts, bool lost) {
    if (hold) {
      // Before letting go: the commit in flight, then one for what is still held. What a successful commit
      // covers is counted here; the rest is dropped, for the partitions' next owner to read.
      if (!lost && !closing) {
        int64_t deadline = steady_ms() + kCommitWaitMs;
        settle_flight(deadline, true);
        rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(parts->cnt);
        for (int i = 0; i < parts->cnt; ++i) {
          Part* p = part(parts->elems[i].topic, parts->elems[i].partition);
          if (p && !p->held.empty())
            rd_kafka_topic_partition_list_add(list, p->topic.c_str(), p->partition)->offset =
                p->held.back()->offset + 1;
        }
        if (list->cnt > 0) {
          Flight f;
          for (int i = 0; i < list->cnt; ++i) {
            f.parts.push_back(
                {part(list->elems[i].topic, list->elems[i].partition)->epoch, list->elems[i].offset});
            f.names.push_back({list->elems[i].topic, list->elems[i].partition});
          }
          f.id = send_commit(list);
          f.sent_ms = steady_ms();
          if (f.id != 0) {
            flight = std::move(f);
            settle_flight(deadline, true);
          }
        }
        rd_kafka_topic_partition_list_destroy(list);
      }
    } else if (!lost) {
      // What was consumed of these partitions is counted; make it durable, then tell the group, so the next
      // owner starts right after it.
      if (!closing) {
        sink.sync();
        if (self->checkpoint && !self->checkpoint()) warning("kafka: checkpoint before a rebalance failed");
      }
      if (commits_allowed && !closing) {
        rd_kafka_topic_partition_list_t* list = commit_list(parts);
        uint64_t id = send_commit(list);
        rd_kafka_topic_partition_list_destroy(list);
        rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
        if (id != 0 && !wait_commit(id, steady_ms() + kCommitWaitMs, true, err))
          err = RD_KAFKA_RESP_ERR__TIMED_OUT;
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET)
          warning(
              fmt::format("kafka: commit before handing partitions over: {}; their next owner may read again "
                          "what this process counted after its last commit",
                          rd_kafka_err2str(err)));
      }
    }
    for (int i = 0; i < parts->cnt; ++i) {
      const rd_kafka_topic_partition_t& p = parts->elems[i];
      for (Part& a : assigned)
        if (a.partition == p.partition && a.topic == p.topic) {
          drop(a);
          sink.close_source(a.clock);
        }
      std::erase_if(assigned,
                    [&](const Part& a) { return a.partition == p.partition && a.topic == p.topic; });
      // No longer ours: another process goes on from the commit; a stale offset here must not be reused.
      std::erase_if(sink.offsets(),
                    [&](const SourceOffset& o) { return o.partition == p.partition && o.topic == p.topic; });
    }
    if (assigned.empty()) assignment_seen = false;  // the next assignment is this generation's
    at_end_committed = false;
  }

  void rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts) {
    bool cooperative = std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      assign(parts);
      if (cooperative) {
        if (rd_kafka_error_t* e = rd_kafka_incremental_assign(rk, parts)) rd_kafka_error_destroy(e);
      } else {
        rd_kafka_assign(rk, parts);
      }
      paused = false;
      pace();
    } else {
      revoke(parts, err != RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS || rd_kafka_assignment_lost(rk));
      if (cooperative) {
        if (rd_kafka_error_t* e = rd_kafka_incremental_unassign(rk, parts)) rd_kafka_error_destroy(e);
      } else {
        rd_kafka_assign(rk, nullptr);
      }
    }
  }

  static void rebalance_cb(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                           void* opaque) {
    static_cast<Impl*>(opaque)->rebalance(err, parts);
  }

  // --- no group: the partitions of every topic ---

  void look_up_partitions() {
    int64_t now = steady_ms();
    if (now < metadata_next) return;
    while (topics_found < config.kafka_topics.size()) {
      const rd_kafka_metadata_t* md = nullptr;
      rd_kafka_resp_err_t e =
          rd_kafka_metadata(rk, 0, topic_handles[topics_found], &md, static_cast<int>(metadata_timeout));
      if (e == RD_KAFKA_RESP_ERR_NO_ERROR && md->topic_cnt == 1 && md->topics[0].err) e = md->topics[0].err;
      const std::string& t = config.kafka_topics[topics_found];
      if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (md) rd_kafka_metadata_destroy(md);
        metadata_error = rd_kafka_err2str(e);
        bool transient = e == RD_KAFKA_RESP_ERR__TIMED_OUT || e == RD_KAFKA_RESP_ERR__TRANSPORT ||
                         e == RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE ||
                         e == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN;
        if (!transient || steady_ms() >= metadata_deadline) {
          error(fmt::format("kafka: topic '{}': {}{}", t, metadata_error,
                            transient ? fmt::format(" (no answer from {} in {}s)", config.kafka_brokers,
                                                    kMetadataDeadlineMs / 1000)
                                      : ""));
          failed = true;
        }
        // Short tries, growing: the loop (and a signal) never waits long, a slow broker still answers.
        metadata_timeout = std::min<int64_t>(metadata_timeout * 2, 500);
        metadata_next = steady_ms() + 100;
        return;
      }
      for (int i = 0; i < md->topics[0].partition_cnt; ++i)
        rd_kafka_topic_partition_list_add(found, t.c_str(), md->topics[0].partitions[i].id)->offset =
            RD_KAFKA_OFFSET_BEGINNING;
      rd_kafka_metadata_destroy(md);
      ++topics_found;
    }
    // Every partition, from the state's offsets or the beginning.
    assign(found);
    rd_kafka_resp_err_t e = rd_kafka_assign(rk, found);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
      error(fmt::format("kafka: assign: {}", rd_kafka_err2str(e)));
      failed = true;
    }
  }

  bool looking_up() const { return !group && topics_found < config.kafka_topics.size(); }

  // --- closing ---

  // Leaves the group (or the assignment) by `deadline`, serving what librdkafka asks meanwhile.
  void leave(int64_t deadline) {
    rd_kafka_queue_t* q = rd_kafka_queue_new(rk);
    if (rd_kafka_error_t* e = rd_kafka_consumer_close_queue(rk, q)) {
      rd_kafka_error_destroy(e);
      rd_kafka_queue_destroy(q);
      return;
    }
    while (!rd_kafka_consumer_closed(rk)) {
      int64_t left = deadline - steady_ms();
      if (left <= 0) break;
      rd_kafka_event_t* ev = rd_kafka_queue_poll(q, static_cast<int>(std::min<int64_t>(left, 50)));
      if (!ev) continue;
      switch (rd_kafka_event_type(ev)) {
        case RD_KAFKA_EVENT_REBALANCE:
          rebalance(rd_kafka_event_error(ev), rd_kafka_event_topic_partition_list(ev));
          break;
        case RD_KAFKA_EVENT_ERROR:
          KafkaLog::get().say(3, rd_kafka_event_error_string(ev));
          break;
        default:
          break;
      }
      rd_kafka_event_destroy(ev);
    }
    rd_kafka_queue_destroy(q);
  }
};

bool KafkaSource::available() {
  return true;
}

std::string KafkaSource::version() {
  return rd_kafka_version_str();
}

bool KafkaSource::check(const Config& config, std::string& error) {
  // What would make trendtop's counts wrong, refused up front.
  if (has_prop(config, "group.id")) {
    error = "-X group.id: give the consumer group with --group";
    return false;
  }
  if (has_prop(config, "enable.auto.commit") && is_true(prop(config, "enable.auto.commit"))) {
    error =
        "-X enable.auto.commit=true: trendtop commits the offsets itself, once what they count is printed or "
        "saved (automatic commits would lose or repeat records)";
    return false;
  }
  if (config.exit_at_end && has_prop(config, "enable.partition.eof") &&
      !is_true(prop(config, "enable.partition.eof"))) {
    error = "--exit-at-end needs librdkafka's partition ends (-X enable.partition.eof=false given)";
    return false;
  }
  rd_kafka_conf_t* conf = make_conf(config, error);
  if (!conf) return false;
  rd_kafka_conf_destroy(conf);
  return true;
}

KafkaSource::KafkaSource(const Config& config, LineSink& sink) : impl_(std::make_unique<Impl>(config, sink)) {
  impl_->self = this;
}

KafkaSource::~KafkaSource() = default;

bool KafkaSource::open(std::string& error) {
  Impl& k = *impl_;
  rd_kafka_conf_t* conf = make_conf(k.config, error);
  if (!conf) return false;
  KafkaLog::get().configure(k.config.kafka_brokers, has_prop(k.config, "debug"));
  rd_kafka_conf_set_log_cb(conf, log_cb);
  rd_kafka_conf_set_error_cb(conf, error_cb);
  rd_kafka_conf_set_opaque(conf, &k);
  if (k.group) rd_kafka_conf_set_rebalance_cb(conf, Impl::rebalance_cb);
  char err[512];
  k.rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (!k.rk) {
    rd_kafka_conf_destroy(conf);
    error = fmt::format("kafka: {}", err);
    return false;
  }
  rd_kafka_poll_set_consumer(k.rk);
  k.queue = rd_kafka_queue_get_consumer(k.rk);
  k.commits = rd_kafka_queue_new(k.rk);
  if (!k.queue || !k.commits) {
    error = "kafka: no consumer queue";
    return false;
  }
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
    error = fmt::format("kafka: pipe: {}", std::strerror(errno));
    return false;
  }
  k.pipe_r = fds[0];
  k.pipe_w = fds[1];
  rd_kafka_queue_io_event_enable(k.queue, k.pipe_w, "1", 1);
  rd_kafka_queue_io_event_enable(k.commits, k.pipe_w, "1", 1);

  if (k.group) {
    rd_kafka_topic_partition_list_t* topics =
        rd_kafka_topic_partition_list_new(static_cast<int>(k.config.kafka_topics.size()));
    for (const std::string& t : k.config.kafka_topics)
      rd_kafka_topic_partition_list_add(topics, t.c_str(), RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t e = rd_kafka_subscribe(k.rk, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
      error = fmt::format("kafka: subscribe: {}", rd_kafka_err2str(e));
      return false;
    }
    return true;
  }
  // No group: every partition of every topic, looked up from the loop.
  for (const std::string& t : k.config.kafka_topics)
    k.topic_handles.push_back(rd_kafka_topic_new(k.rk, t.c_str(), nullptr));
  k.found = rd_kafka_topic_partition_list_new(8);
  k.metadata_deadline = steady_ms() + kMetadataDeadlineMs;
  return true;
}

int KafkaSource::fd() const {
  return impl_->pipe_r;
}

bool KafkaSource::failed() const {
  return impl_->failed;
}

bool KafkaSource::poll(SourceStats& stats) {
  Impl& k = *impl_;
  if (!k.rk || k.failed) return false;
  char drain[64];
  while (::read(k.pipe_r, drain, sizeof drain) > 0) {
  }
  if (k.looking_up()) {
    k.look_up_partitions();
    if (k.looking_up() || k.failed) return false;
  }
  k.stats = &stats;
  k.drain_commits();
  bool more = false;
  for (int i = 0; i < kMessagesPerPoll && !k.sink.done(); ++i) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(k.rk, 0);  // may call rebalance_cb
    if (!m) break;
    more = i + 1 == kMessagesPerPoll;
    std::string_view topic = m->rkt ? rd_kafka_topic_name(m->rkt) : std::string_view();
    Impl::Part* p = m->rkt ? k.part(topic, m->partition) : nullptr;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (p) p->eof = true;
    } else if (m->err) {
      KafkaLog::get().say(3, rd_kafka_message_errstr(m));
    } else if (k.hold && p) {
      p->eof = false;
      p->held.push_back(m);
      ++k.held_messages;
      k.held_bytes += m->len;
      continue;  // destroyed once counted or dropped
    } else if (!k.hold) {
      if (p) p->eof = false;
      k.feed(m);
    }
    rd_kafka_message_destroy(m);
  }
  if (k.hold) {
    k.commit_held();
    k.pace();
  } else if (k.group && k.config.exit_at_end && !k.at_end_committed && !k.flight && k.assignment_seen &&
             std::all_of(k.assigned.begin(), k.assigned.end(), [](const Impl::Part& a) { return a.eof; }) &&
             steady_ms() >= k.next_commit_ms) {
    // Read to the end (--exit-at-end with --state): checkpoint, then commit; the process ends once the
    // commit is taken (a refused one is tried again: a partition's next owner must not read it again).
    k.sink.sync();
    if (!checkpoint || checkpoint()) {
      rd_kafka_topic_partition_list_t* list = k.commit_list();
      Impl::Flight f;
      f.at_end = true;
      f.id = k.send_commit(list);
      f.sent_ms = steady_ms();
      if (list->cnt == 0) k.at_end_committed = true;
      rd_kafka_topic_partition_list_destroy(list);
      if (f.id != 0)
        k.flight = std::move(f);
      else if (!k.at_end_committed)
        k.next_commit_ms = steady_ms() + kCommitRetryMs;
    }
  }
  k.stats = nullptr;
  return more;
}

bool KafkaSource::ended() const {
  const Impl& k = *impl_;
  if (!k.config.exit_at_end || !k.assignment_seen || k.looking_up()) return false;
  for (const Impl::Part& p : k.assigned)
    if (!p.eof || !p.held.empty()) return false;
  if (k.flight) return false;
  // A group member leaves only once what it counted is committed (held records are counted only then).
  if (k.group && !k.hold && !k.assigned.empty()) return k.at_end_committed;
  return true;
}

void KafkaSource::checkpointed() {
  Impl& k = *impl_;
  if (!k.rk || !k.group || k.hold || !k.commits_allowed) return;
  rd_kafka_topic_partition_list_t* list = k.commit_list();
  k.send_commit(list);
  rd_kafka_topic_partition_list_destroy(list);
}

void KafkaSource::settle(SourceStats& stats) {
  Impl& k = *impl_;
  if (!k.rk || !k.hold) return;
  k.stats = &stats;
  k.settle_flight(steady_ms() + 1000, false);
  k.stats = nullptr;
  k.drop_all();  // never committed: the group reads them again
}

bool KafkaSource::close(bool commit) {
  Impl& k = *impl_;
  if (!k.rk || k.closing) return true;
  int64_t deadline = steady_ms() + kCloseBudgetMs;
  bool ok = true;
  k.commits_allowed = commit;
  k.drop_all();
  if (k.group && !k.hold && commit && !k.assigned.empty()) {
    rd_kafka_topic_partition_list_t* list = k.commit_list();
    uint64_t id = k.send_commit(list);
    rd_kafka_topic_partition_list_destroy(list);
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    if (id != 0 && !k.wait_commit(id, deadline - kLeaveMs, false, err)) err = RD_KAFKA_RESP_ERR__TIMED_OUT;
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
      std::string why = err == RD_KAFKA_RESP_ERR__TIMED_OUT
                            ? fmt::format("no answer from {} in time", k.config.kafka_brokers)
                            : rd_kafka_err2str(err);
      if (k.config.state_path.empty()) {
        error(fmt::format(
            "kafka: offsets not committed ({}): the group's next run reads again the records this "
            "one counted",
            why));
        ok = false;
      } else {
        warning(
            fmt::format("kafka: offsets not committed ({}); the state file has them, and the next run goes "
                        "on from there",
                        why));
      }
    }
  }
  k.closing = true;
  k.leave(deadline);
  k.abandoned = !rd_kafka_consumer_closed(k.rk);
  return ok;
}

}  // namespace trendtop
