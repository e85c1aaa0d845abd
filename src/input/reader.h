// The input stage: bytes in, framed lines out. Sources are files, directories and stdin, plain or compressed
// (archive.h), TCP listeners and clients (net.h), Kafka (kafka.h) and WebSocket/HTTP streams (url_source.h);
// each byte stream has its own Framer (framer.h), which cuts lines and counts over-long ones. Lines go, with
// their arrival time, into a LineSink (line_sink.h) — the pipeline — which the reader also gives the wall
// clock between reads. Nothing here parses JSON or knows of windows.
//
// Reader: every input at once, as the union of their records. Files and stdin are read one after another,
// in the order given; --listen sockets accept any number of producers; --connect clients reconnect with
// exponential backoff. Every byte stream (a file, a connection) has its own framer, so a line never mixes
// bytes of two producers, and a producer that disconnects mid-line has its fragment counted on its own.
//
// One thread, one epoll loop, non-blocking sockets: a slow or silent producer never stalls the others, and
// nothing is buffered beyond one read per stream, so when trendtop is behind, TCP flow control slows the
// producers. Regular files cannot be polled; they are read a chunk at a time between polls, or, when the sink
// has parsing threads (LineSink::reads_ranges), handed out a range at a time for those threads to read
// (range.h): the file's size is looked at when it is opened and again each time the ranges reach it, so a
// file that grows while read is read to the end seen last, and one truncated ends early.
//
// Memory: unfinished lines buffered across all connections share one budget (--max-buffered); past it the
// largest is dropped (an oversized line, counted when its end comes) and its memory given back.
// Descriptors: beyond --max-connections, or out of descriptors (EMFILE, ENFILE at accept), producers wait in
// the kernel's backlog and the listeners are not polled until a connection closes (out of descriptors: or a
// second has passed); the latter is said at most every 10 s, naming the limit.
//
// The end: after a stop signal (or --duration) nothing already sent is lost. No new connection is made, but
// producers waiting to be accepted are accepted, and every connection (and a pipe on stdin) is read until it
// ends or stays quiet for kQuietMs, for at most kStopGraceMs; an unfinished last line is a line of its own.
#pragma once
#include <csignal>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "config.h"
#include "input/archive.h"
#include "input/framer.h"
#include "input/kafka.h"
#include "input/line_sink.h"
#include "input/net.h"
#include "input/range.h"
#include "input/source.h"
#include "input/url_source.h"
#include "util/clock.h"
#include "util/log.h"

namespace trendtop {

// Per-source counters for --stats.
struct SourceStats {
  std::string name;  // "listen 127.0.0.1:9999", "connect host:9999", a file name
  uint64_t accepted = 0, closed = 0, connects = 0, failures = 0, lines = 0, bytes = 0;
  bool network = false;
  uint64_t refused = 0;   // connections --allow turned away
  uint64_t timeouts = 0;  // connections --client-timeout closed
  uint64_t replayed = 0;  // --connect URLs: events a resumed stream sent again, already counted (dropped)
  bool url = false;       // a --connect URL (url_source.h)
};

class Reader {
 public:
  Reader(const Config& config, LineSink& sink);
  ~Reader();
  // Binds the listeners. False (with a message) when one cannot be bound: nothing has been read yet.
  bool open(std::string& error);
  // Called once per turn of the loop with the wall clock. Returns when it wants to be called again
  // (kNoTime: no need), or kEndRun to end the run as if the input had ended.
  using TickHook = std::function<int64_t(int64_t now_ms)>;
  static constexpr int64_t kEndRun = std::numeric_limits<int64_t>::max();
  // At the end: how long a connection may stay quiet before it counts as having sent everything, and how
  // long reading may go on after the stop.
  static constexpr int64_t kQuietMs = 100;
  static constexpr int64_t kStopGraceMs = 2000;

  // Reads until every finite source has ended and no listener remains, the pipeline is done, the hook ends
  // the run, or `stop` is set (by a signal); after the last two, reads what producers already sent (see
  // above). Returns false if any input failed (reported on stderr).
  bool run(const volatile std::sig_atomic_t& stop, const TickHook& hook);

  const std::vector<SourceStats>& stats() const { return stats_; }
  // The Kafka source (--kafka), nullptr without: main checkpoints and commits through it.
  KafkaSource* kafka() { return kafka_.get(); }
  uint64_t bytes() const;

 private:
  struct Stream {
    int fd = -1;
    size_t source = 0;  // index into stats_
    std::string name;
    Framer framer;
    int connector = -1;      // index into connectors_ for --connect streams
    int64_t last_read = 0;   // wall ms of the last byte (--client-timeout)
    size_t pending = 0;      // bytes of its unfinished line, as counted in pending_
    bool delivered = false;  // a byte came (a --connect server that sends nothing is backed off from)
    uint32_t clock = 0;      // its source in the sink (LineSink::open_source)
  };
  struct Connector {
    Endpoint ep;
    size_t source = 0;
    int fd = -1;  // while connecting or connected
    bool connecting = false;
    int64_t retry_at = 0;  // when idle: next attempt (wall ms)
    int64_t backoff_ms = 0;
    int64_t failures = 0;  // consecutive failed attempts
    bool ended = false;    // a connection delivered and the server closed it: the stream ended, not failed
    bool gave_up = false;
    NoteLimiter notes;  // messages about it, rate-limited
  };
  struct Listener {
    int fd;
    size_t source;
    bool paused = false;
  };

  bool start_next_input();
  void read_file_chunk();
  void hand_out_range();
  void finish_file();
  void accept_all(Listener& l);
  bool read_stream(int fd);  // true when it read bytes (more may follow)
  // After a stop: reads what was already sent, until `deadline` at the latest (see above).
  void drain(int64_t deadline);
  void close_stream(int fd);
  // --max-buffered: drops the largest unfinished lines until the rest fit.
  void enforce_budget();
  // --client-timeout: closes accepted connections silent for too long; returns the next time to check.
  int64_t expire_idle(int64_t now);
  void attempt(size_t c, int64_t now);
  void connect_done(size_t c, int64_t now);
  void connector_lost(size_t c, int64_t now, const std::string& why, bool failed);
  void pause_listeners(bool pause);
  int poll_timeout(int64_t now, int64_t hook_wake) const;
  bool watch(int fd, uint32_t events, uint64_t tag);  // false when epoll cannot poll fd
  void unwatch(int fd);

  const Config& config_;
  LineSink& sink_;
  int epoll_ = -1;
  bool failed_ = false;
  std::vector<SourceStats> stats_;
  std::vector<Listener> listeners_;
  std::vector<Connector> connectors_;
  std::unordered_map<int, Stream> streams_;  // connections, and stdin when it can be polled

  // The current file or stdin (files, directories and stdin in order, decompressed: archive.h).
  InputFiles file_;
  bool file_open_ = false;
  bool file_polled_ = false;  // a pipe or terminal: read when epoll says so
  size_t file_source_ = 0;
  bool files_counted_ = false;  // stats_[file_source_] counts every file and stdin
  uint32_t files_clock_ = 0;    // the sink's source for the files and stdin (one: read one after another)
  bool files_clock_open_ = false;
  Framer file_framer_;
  std::shared_ptr<RangeFile> range_file_;  // the current file, when read by ranges (hand_out_range)
  uint64_t range_at_ = 0;                  // where its next range starts
  uint64_t range_size_ = 0;                // its size, as last seen
  uint64_t connections_ = 0;
  std::unique_ptr<KafkaSource> kafka_;
  size_t kafka_source_ = 0;
  bool kafka_more_ = false;           // poll() stopped at its per-call bound: more messages wait
  std::unique_ptr<UrlSources> urls_;  // --connect URLs
  int64_t url_wake_ = 0;              // when they want a turn (a reconnect's backoff), or kNoTime
  bool warned_full_ = false;
  bool warned_refused_ = false;
  bool warned_budget_ = false;
  NoteLimiter fd_notes_;           // out of descriptors at accept
  int64_t fd_retry_at_ = kNoTime;  // then: when the paused listeners try again at the latest
  uint64_t pending_ = 0;           // unfinished lines' bytes across connections (--max-buffered)
  bool stopping_ = false;          // draining after a stop: no reconnects
  int64_t file_last_ = 0;          // when the polled stdin last gave bytes (while draining)
  int64_t next_expiry_ = 0;
};

}  // namespace trendtop
