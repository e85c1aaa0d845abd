// KafkaSource (kafka.h): its public side (open, poll, close), over the Impl (kafka_impl.h) whose rebalances
// are in kafka_partitions.cpp, commits in kafka_commit.cpp, and log lines and configuration in kafka_log.cpp.
#include "input/kafka.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "input/kafka_impl.h"
#include "input/reader.h"
#include "util/clock.h"
#include "util/log.h"

namespace trendtop {

using namespace kafka_detail;

KafkaSource::Impl::Impl(const Config& c, LineSink& p)
    : config(c),
      sink(p),
      group(!c.kafka_group.empty()),
      hold(!c.kafka_group.empty() && c.exit_at_end && c.state_path.empty()) {}

KafkaSource::Impl::~Impl() {
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
