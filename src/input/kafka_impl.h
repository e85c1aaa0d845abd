// KafkaSource's internals (kafka.h), shared by its files: kafka_log.cpp (librdkafka's log lines and error
// events, the consumer's configuration), kafka_commit.cpp (counting messages, commits), kafka_partitions.cpp
// (rebalances, the partitions without a group, leaving) and kafka.cpp (the consumer's life: open, poll,
// close). Built only with librdkafka.
#pragma once
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <librdkafka/rdkafka.h>

#include "config.h"
#include "input/kafka.h"
#include "input/line_sink.h"

namespace trendtop {

namespace kafka_detail {

// Messages handed to the sink per poll() call, so the other sources and the clock get their turn.
inline constexpr int kMessagesPerPoll = 4096;
// How long the end of a run may wait for the broker, in all: a commit (all but the last 400 ms), then
// leaving the group.
inline constexpr int64_t kCloseBudgetMs = 1200;
inline constexpr int64_t kLeaveMs = 400;
// A commit before handing partitions over, or one whose records wait to be counted: how long to wait.
inline constexpr int64_t kCommitWaitMs = 10'000;
// Held records (batch runs in a group) beyond which reading pauses until a commit lets them be counted.
inline constexpr size_t kHeldMessages = 100'000;
inline constexpr size_t kHeldBytes = 256u << 20;
// After a refused commit, the next try (a rebalance usually settles within a few seconds).
inline constexpr int64_t kCommitRetryMs = 200;
// No group: how long the topics' partitions may take to look up before the run fails.
inline constexpr int64_t kMetadataDeadlineMs = 10'000;
// The same librdkafka message is said again after this long.
inline constexpr int64_t kLogRepeatMs = 5 * 60'000;

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
  void say(int level, std::string_view text);

 private:
  static bool looks_like_broker(std::string_view s);
  static std::string normalize(std::string_view s);

  std::mutex mu_;
  std::unordered_map<std::string, int64_t> last_;
  std::string brokers_;
  bool debug_ = false;
};

void log_cb(const rd_kafka_t*, int level, const char*, const char* buf);
void error_cb(rd_kafka_t*, int err, const char* reason, void*);
void warning(const std::string& what);
bool has_prop(const Config& config, std::string_view key);
std::string prop(const Config& config, std::string_view key);
// A configuration with trendtop's defaults, then the user's -X properties (which win).
rd_kafka_conf_t* make_conf(const Config& config, std::string& error);
bool is_true(const std::string& v);

}  // namespace kafka_detail

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

  Impl(const Config& c, LineSink& p);
  ~Impl();

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
  void feed(const rd_kafka_message_t* m);
  void release(Part& p, int64_t upto);

  // --- commits ---
  rd_kafka_topic_partition_list_t* commit_list(const rd_kafka_topic_partition_list_t* only = nullptr);
  uint64_t send_commit(const rd_kafka_topic_partition_list_t* list);
  void refused(rd_kafka_resp_err_t err);
  bool wait_commit(uint64_t id, int64_t deadline, bool stop_early, rd_kafka_resp_err_t& err);
  bool on_commit(rd_kafka_event_t* ev, uint64_t want, rd_kafka_resp_err_t& err);
  void drain_commits();
  void commit_held();
  void settle_flight(int64_t deadline, bool stop_early);
  void pace();

  // --- rebalances ---
  void assign(rd_kafka_topic_partition_list_t* parts);
  void revoke(rd_kafka_topic_partition_list_t* parts, bool lost);
  void rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts);
  static void rebalance_cb(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                           void* opaque);

  // --- no group: the partitions of every topic ---
  void look_up_partitions();
  bool looking_up() const { return !group && topics_found < config.kafka_topics.size(); }

  // --- closing ---
  void leave(int64_t deadline);
};

}  // namespace trendtop
