// KafkaSource::Impl (kafka_impl.h): the partitions it reads: a group's rebalances (assigned, revoked), every
// partition of the topics without a group (looked up from the loop), and leaving at the end.
#include "input/kafka_impl.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "util/clock.h"
#include "util/log.h"

namespace trendtop {

using namespace kafka_detail;

// --- rebalances ---

void KafkaSource::Impl::assign(rd_kafka_topic_partition_list_t* parts) {
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

void KafkaSource::Impl::revoke(rd_kafka_topic_partition_list_t* parts, bool lost) {
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
      if (self->checkpoint && !self->checkpoint())
        warning(
            "kafka: checkpoint before handing partitions over failed; their offsets are committed all the "
            "same (their next owner must not count again what this process counted), so until a checkpoint "
            "succeeds those counts are in this process's windows only");
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
    std::erase_if(assigned, [&](const Part& a) { return a.partition == p.partition && a.topic == p.topic; });
    // No longer ours: another process goes on from the commit; a stale offset here must not be reused.
    std::erase_if(sink.offsets(),
                  [&](const SourceOffset& o) { return o.partition == p.partition && o.topic == p.topic; });
  }
  if (assigned.empty()) assignment_seen = false;  // the next assignment is this generation's
  at_end_committed = false;
}

void KafkaSource::Impl::rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts) {
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

void KafkaSource::Impl::rebalance_cb(rd_kafka_t*, rd_kafka_resp_err_t err,
                                     rd_kafka_topic_partition_list_t* parts, void* opaque) {
  static_cast<Impl*>(opaque)->rebalance(err, parts);
}

// --- no group: the partitions of every topic ---

void KafkaSource::Impl::look_up_partitions() {
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

// --- closing ---

// Leaves the group (or the assignment) by `deadline`, serving what librdkafka asks meanwhile.
void KafkaSource::Impl::leave(int64_t deadline) {
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

}  // namespace trendtop
