#include "input/kafka.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string_view>
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

}  // namespace

struct KafkaSource::Impl {
  const Config& config;
  LineSink& sink;
  KafkaSource* self = nullptr;
  rd_kafka_t* rk = nullptr;
  rd_kafka_queue_t* queue = nullptr;
  int pipe_r = -1, pipe_w = -1;
  struct Assigned {
    std::string topic;
    int32_t partition;
    bool eof = false;
  };
  std::vector<Assigned> assigned;
  bool assignment_seen = false;   // a group's first assignment came (possibly empty)
  bool at_end_committed = false;  // --exit-at-end: the offsets were committed when every partition ended
  bool closing = false;
  bool commits_allowed = true;  // false: leaving without committing (results neither printed nor saved)
  std::string line;             // a message's line, with the parser's padding after it

  Impl(const Config& c, LineSink& p) : config(c), sink(p) {}
  ~Impl() {
    if (rk && !closing) {  // an error path: leave without committing anything
      closing = true;
      commits_allowed = false;
      rd_kafka_consumer_close(rk);
    }
    if (queue) rd_kafka_queue_destroy(queue);
    if (rk) rd_kafka_destroy(rk);
    if (pipe_r >= 0) ::close(pipe_r);
    if (pipe_w >= 0) ::close(pipe_w);
  }

  SourceOffset* offset_of(std::string_view topic, int32_t partition) {
    for (SourceOffset& o : sink.offsets())
      if (o.partition == partition && o.topic == topic) return &o;
    return nullptr;
  }

  // The offsets of the partitions still assigned, as the state has them: what a commit says.
  rd_kafka_topic_partition_list_t* commit_list(const rd_kafka_topic_partition_list_t* only = nullptr) {
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(8);
    for (const SourceOffset& o : sink.offsets()) {
      bool mine = false;
      if (only) {
        for (int i = 0; i < only->cnt && !mine; ++i)
          mine = only->elems[i].partition == o.partition && o.topic == only->elems[i].topic;
      } else {
        for (const Assigned& a : assigned) mine = mine || (a.partition == o.partition && a.topic == o.topic);
      }
      if (mine) rd_kafka_topic_partition_list_add(list, o.topic.c_str(), o.partition)->offset = o.next;
    }
    return list;
  }

  void commit(bool async, const rd_kafka_topic_partition_list_t* only = nullptr) {
    if (config.kafka_group.empty() || !commits_allowed) return;  // nothing to commit to without a group
    rd_kafka_topic_partition_list_t* list = commit_list(only);
    if (list->cnt > 0) {
      rd_kafka_resp_err_t err = rd_kafka_commit(rk, list, async ? 1 : 0);
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET)
        warn(fmt::format("warning: kafka: commit: {}{}", rd_kafka_err2str(err),
                         only ? "; the partitions' next owner may read again what this process counted after "
                                "its last commit"
                              : ""));
    }
    rd_kafka_topic_partition_list_destroy(list);
  }

  void assign(rd_kafka_topic_partition_list_t* parts) {
    for (int i = 0; i < parts->cnt; ++i) {
      rd_kafka_topic_partition_t& p = parts->elems[i];
      // Where the state says this process stopped; else the group's committed offset (or the reset policy).
      if (const SourceOffset* o = offset_of(p.topic, p.partition)) p.offset = o->next;
      assigned.push_back({p.topic, p.partition, false});
    }
    assignment_seen = true;
  }

  void revoke(rd_kafka_topic_partition_list_t* parts) {
    // What was consumed of these partitions is counted; make it durable, then tell the group, so the next
    // owner starts right after it.
    if (!closing) {
      sink.sync();
      if (self->checkpoint && !self->checkpoint())
        warn("warning: kafka: checkpoint before a rebalance failed");
    }
    commit(false, parts);
    for (int i = 0; i < parts->cnt; ++i) {
      const rd_kafka_topic_partition_t& p = parts->elems[i];
      std::erase_if(assigned,
                    [&](const Assigned& a) { return a.partition == p.partition && a.topic == p.topic; });
      // No longer ours: another process goes on from the commit; a stale offset here must not be reused.
      std::erase_if(sink.offsets(),
                    [&](const SourceOffset& o) { return o.partition == p.partition && o.topic == p.topic; });
    }
  }

  static void rebalance_cb(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                           void* opaque) {
    auto* impl = static_cast<Impl*>(opaque);
    bool cooperative = std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
    impl->at_end_committed = false;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      impl->assign(parts);
      if (cooperative) {
        if (rd_kafka_error_t* e = rd_kafka_incremental_assign(rk, parts)) rd_kafka_error_destroy(e);
      } else {
        rd_kafka_assign(rk, parts);
      }
    } else {
      if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) impl->revoke(parts);
      if (cooperative) {
        if (rd_kafka_error_t* e = rd_kafka_incremental_unassign(rk, parts)) rd_kafka_error_destroy(e);
      } else {
        rd_kafka_assign(rk, nullptr);
      }
    }
  }

  void feed(const rd_kafka_message_t* m, SourceStats& stats) {
    rd_kafka_timestamp_type_t type;
    int64_t ts = rd_kafka_message_timestamp(m, &type);
    int64_t arrival = config.time == TimeMode::Arrival || ts < 0 ? wall_ms() : ts;
    const char* p = static_cast<const char*>(m->payload);
    size_t left = p ? m->len : 0;
    stats.bytes += left;
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
      ++stats.lines;
      sink.line(l, arrival);
      if (!nl) break;
      p = nl + 1;
      left -= n + 1;
      if (left == 0) break;  // a final newline ends the last line
    }
    std::string_view topic = rd_kafka_topic_name(m->rkt);
    if (SourceOffset* o = offset_of(topic, m->partition)) {
      o->next = m->offset + 1;
    } else {
      sink.offsets().push_back({std::string(topic), m->partition, m->offset + 1, {}, {}});
    }
    for (Assigned& a : assigned)
      if (a.partition == m->partition && a.topic == topic) a.eof = false;
  }
};

bool KafkaSource::available() {
  return true;
}

std::string KafkaSource::version() {
  return rd_kafka_version_str();
}

bool KafkaSource::check(const Config& config, std::string& error) {
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
  rd_kafka_conf_set_opaque(conf, &k);
  if (!k.config.kafka_group.empty()) rd_kafka_conf_set_rebalance_cb(conf, Impl::rebalance_cb);
  char err[512];
  k.rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (!k.rk) {
    rd_kafka_conf_destroy(conf);
    error = fmt::format("kafka: {}", err);
    return false;
  }
  rd_kafka_poll_set_consumer(k.rk);
  k.queue = rd_kafka_queue_get_consumer(k.rk);
  if (!k.queue) {
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

  rd_kafka_topic_partition_list_t* topics =
      rd_kafka_topic_partition_list_new(static_cast<int>(k.config.kafka_topics.size()));
  if (!k.config.kafka_group.empty()) {
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
  // No group: every partition of every topic, from the state's offsets or the beginning.
  for (const std::string& t : k.config.kafka_topics) {
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(k.rk, t.c_str(), nullptr);
    const rd_kafka_metadata_t* md = nullptr;
    rd_kafka_resp_err_t e = rd_kafka_metadata(k.rk, 0, rkt, &md, 10'000);
    rd_kafka_topic_destroy(rkt);
    if (e == RD_KAFKA_RESP_ERR_NO_ERROR && md->topic_cnt == 1 && md->topics[0].err) e = md->topics[0].err;
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (md) rd_kafka_metadata_destroy(md);
      rd_kafka_topic_partition_list_destroy(topics);
      error = fmt::format("kafka: topic '{}': {}", t, rd_kafka_err2str(e));
      return false;
    }
    for (int i = 0; i < md->topics[0].partition_cnt; ++i)
      rd_kafka_topic_partition_list_add(topics, t.c_str(), md->topics[0].partitions[i].id)->offset =
          RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_metadata_destroy(md);
  }
  k.assign(topics);
  rd_kafka_resp_err_t e = rd_kafka_assign(k.rk, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    error = fmt::format("kafka: assign: {}", rd_kafka_err2str(e));
    return false;
  }
  return true;
}

int KafkaSource::fd() const {
  return impl_->pipe_r;
}

bool KafkaSource::poll(SourceStats& stats) {
  Impl& k = *impl_;
  if (!k.rk) return false;
  char drain[64];
  while (::read(k.pipe_r, drain, sizeof drain) > 0) {
  }
  for (int i = 0; i < kMessagesPerPoll; ++i) {
    if (k.sink.done()) return false;
    rd_kafka_message_t* m = rd_kafka_consumer_poll(k.rk, 0);
    if (!m) return false;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      std::string_view topic = rd_kafka_topic_name(m->rkt);
      for (Impl::Assigned& a : k.assigned)
        if (a.partition == m->partition && a.topic == topic) a.eof = true;
      // Read to the end: checkpoint and commit at once, while the group is still stable — the first
      // member to leave starts a rebalance, during which a broker may refuse commits, and a partition whose
      // commit was refused would be read again by its next owner.
      // Without --state the results are not durable until printed at the end of the run: commit then.
      if (ended() && !k.at_end_committed && checkpoint) {
        k.at_end_committed = true;
        k.sink.sync();
        if (checkpoint()) k.commit(false);
      }
    } else if (m->err) {
      warn(fmt::format("warning: kafka: {}", rd_kafka_message_errstr(m)));
    } else {
      k.feed(m, stats);
    }
    rd_kafka_message_destroy(m);
  }
  return true;
}

bool KafkaSource::ended() const {
  const Impl& k = *impl_;
  if (!k.config.exit_at_end || !k.assignment_seen) return false;
  // In a group, an empty assignment is a step of a rebalance (or a member more than partitions): partitions
  // may still come, and a member that left now could strand them.
  if (k.assigned.empty() && !k.config.kafka_group.empty()) return false;
  return std::all_of(k.assigned.begin(), k.assigned.end(), [](const Impl::Assigned& a) { return a.eof; });
}

void KafkaSource::checkpointed() {
  if (impl_->rk) impl_->commit(true);
}

void KafkaSource::close(bool commit) {
  Impl& k = *impl_;
  if (!k.rk || k.closing) return;
  k.closing = true;
  k.commits_allowed = commit;
  k.commit(false);
  rd_kafka_consumer_close(k.rk);  // leaves the group (its revoke commits the same offsets again)
}

}  // namespace trendtop
