// KafkaSource (--kafka BROKERS --topic T [--group G]): a Kafka consumer as one more source of the reader's
// epoll loop. librdkafka fetches in its own threads; its consumer queue writes a byte to a pipe when it
// becomes non-empty (rd_kafka_queue_io_event_enable), the loop polls that pipe with the other sources, and
// poll() drains the queue into the pipeline on the loop's thread. Each message is a record (a message with
// newlines: a record per line); its Kafka timestamp is its arrival time, and its event time when it has
// none of its own.
//
// Offsets: never committed automatically. With --state, the offset of the next record of every partition
// is saved in the same atomic checkpoint as the windows its records were counted into (LineSink::offsets),
// restored from there at start, and committed to Kafka only after the checkpoint is on disk. Without
// --state, offsets are committed at the end of the run, once every window was printed.
//
// Groups (--group): partitions are shared by the group's processes. When partitions are revoked, the
// process checkpoints (with --state) and commits what it consumed of them before letting go, so the next
// owner starts right after: each record is counted by exactly one process while processes do not die and
// the broker takes the commit. A broker may refuse commits during a rebalance (librdkafka's mock cluster
// does), so a batch run in a group without --state (--group --exit-at-end) commits *before* counting:
// records are held until a commit that covers them succeeded, and dropped (for their partition's next
// owner to read) when it failed; every record is then counted once whatever the rebalances, and a member
// ends only once all it counted is committed (a partition handed to it meanwhile is read to its end too).
// With --state and --exit-at-end, a member ends once the commit of its partitions' ends was taken, and a
// partition the state has an offset for goes on from there, or from the group's offset if that is further.
// Without a group, every partition of the topics is read, from the state's offsets or the beginning.
//
// Never blocking for long: the partitions of a topic are looked up from the loop, commits are waited for
// with deadlines, and close() leaves the group within about a second and a quarter whatever the broker does
// (after which librdkafka is told not to wait). librdkafka's own log lines come out as trendtop's
// one-line warnings, each distinct one at most every five minutes, naming the broker.
//
// Built only with librdkafka (CMake option TRENDTOP_KAFKA); without it, available() is false and --kafka is
// refused.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "config.h"
#include "input/line_sink.h"

namespace trendtop {

struct SourceStats;

class KafkaSource {
 public:
  // Whether this build has the Kafka source; the librdkafka version for --version ("" without).
  static bool available();
  static std::string version();
  // Checks --kafka's settings (-X properties) without connecting: false with a message for a usage error.
  static bool check(const Config& config, std::string& error);

  KafkaSource(const Config& config, LineSink& sink);
  ~KafkaSource();
  // Creates the consumer and subscribes (group) or assigns every partition. False with a message.
  bool open(std::string& error);
  // Readable when messages wait (poll it with EPOLLIN), -1 before open().
  int fd() const;
  // Hands every waiting message to the pipeline (bounded per call; call again while it returns true).
  bool poll(SourceStats& stats);
  // --exit-at-end: every assigned partition has been read to its end.
  bool ended() const;
  // A fatal error was reported (no partitions found for a topic in time): the run ends, exit 1.
  bool failed() const;
  // Called when partitions are revoked, before they are committed: saves the --state. Set by main.
  std::function<bool()> checkpoint;
  // True once the run is ending (a signal, --duration): waits for the broker give up. Set by main.
  std::function<bool()> stopping;
  // A checkpoint with the current offsets is on disk: commit them (asynchronously).
  void checkpointed();
  // The reading is over, the windows not yet finished: a commit in flight is waited for (briefly) and
  // what it covered counted; records held for a commit are dropped (the group reads them again).
  void settle(SourceStats& stats);
  // The run is over: leave the group, committing the offsets first when `commit` (the results are out, or
  // saved). False when they could not be committed and nothing else keeps them (no --state): the group's
  // next run reads those records again (said on stderr).
  bool close(bool commit);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trendtop
