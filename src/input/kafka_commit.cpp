// KafkaSource::Impl (kafka_impl.h): messages counted into the sink (at once, or held until a commit covering
// them is taken), and the commits: sent, their results served, the one in flight settled.
#include "input/kafka_impl.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "input/framer.h"
#include "input/reader.h"
#include "util/clock.h"
#include "util/log.h"

namespace trendtop {

using namespace kafka_detail;

// --- counting ---

void KafkaSource::Impl::feed(const rd_kafka_message_t* m) {
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
void KafkaSource::Impl::release(Part& p, int64_t upto) {
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
rd_kafka_topic_partition_list_t* KafkaSource::Impl::commit_list(const rd_kafka_topic_partition_list_t* only) {
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
uint64_t KafkaSource::Impl::send_commit(const rd_kafka_topic_partition_list_t* list) {
  if (!group || list->cnt == 0) return 0;
  uint64_t id = ++commit_ids;
  rd_kafka_resp_err_t err =
      rd_kafka_commit_queue(rk, list, commits, nullptr, reinterpret_cast<void*>(static_cast<uintptr_t>(id)));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    refused(err);
    return 0;
  }
  return id;
}

// A commit's failure, said once until the reason changes.
void KafkaSource::Impl::refused(rd_kafka_resp_err_t err) {
  // Refused because the group is rebalancing, or has moved on: expected, and handled (the records wait,
  // or the next checkpoint commits again; a refusal that loses something is said where it happens).
  if (err == RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS || err == RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION ||
      err == RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID || err == RD_KAFKA_RESP_ERR__STATE)
    return;
  std::string why = rd_kafka_err2str(err);
  if (why == last_refusal) return;
  last_refusal = why;
  warning(fmt::format("kafka: commit refused ({}); {}", why,
                      hold ? "the records it covers wait for the next try, or for the partition's next owner"
                           : "trying again"));
}

// Waits for the result of commit `id` (serving the other commit results meanwhile), at most until
// `deadline` (steady clock) or the run's end when `stop_early`. True when it came: `err` says how it went.
bool KafkaSource::Impl::wait_commit(uint64_t id, int64_t deadline, bool stop_early,
                                    rd_kafka_resp_err_t& err) {
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
bool KafkaSource::Impl::on_commit(rd_kafka_event_t* ev, uint64_t want, rd_kafka_resp_err_t& err) {
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
void KafkaSource::Impl::drain_commits() {
  rd_kafka_resp_err_t ignored;
  while (rd_kafka_event_t* ev = rd_kafka_queue_poll(commits, 0)) {
    if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_OFFSET_COMMIT) on_commit(ev, 0, ignored);
    rd_kafka_event_destroy(ev);
  }
}

// hold: commits the offsets after the held records of every partition, unless a commit is in flight.
void KafkaSource::Impl::commit_held() {
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
void KafkaSource::Impl::settle_flight(int64_t deadline, bool stop_early) {
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
void KafkaSource::Impl::pace() {
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

}  // namespace trendtop
