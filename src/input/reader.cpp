#include "input/reader.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "input/reader_impl.h"
#include "util/clock.h"
#include "util/duration.h"
#include "util/fd_limit.h"
#include "util/log.h"

namespace trendtop {

using namespace reader_detail;

Reader::Reader(const Config& config, LineSink& sink)
    : config_(config),
      sink_(sink),
      file_(config.inputs, config.threads, config.stdin_closed),
      file_framer_(config.max_line) {}

Reader::~Reader() {
  for (auto& [fd, s] : streams_) ::close(fd);
  for (Connector& c : connectors_)
    if (c.fd >= 0) ::close(c.fd);
  for (Listener& l : listeners_) ::close(l.fd);
  if (epoll_ >= 0) ::close(epoll_);
}

uint64_t Reader::bytes() const {
  uint64_t n = 0;
  for (const SourceStats& s : stats_) n += s.bytes;
  return n;
}

bool Reader::watch(int fd, uint32_t events, uint64_t t) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = t;
  if (epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) == 0) return true;
  return errno == EEXIST && epoll_ctl(epoll_, EPOLL_CTL_MOD, fd, &ev) == 0;
}

void Reader::unwatch(int fd) {
  epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
}

bool Reader::open(std::string& err) {
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_ < 0) {
    err = fmt::format("epoll: {}", std::strerror(errno));
    return false;
  }
  // Parsing threads say when a batch is ready to count, so a quiet stream's last lines are not held back.
  if (int fd = sink_.parsed_fd(); fd >= 0) watch(fd, EPOLLIN, tag(kParsed, 0));
  for (const Endpoint& ep : config_.listen) {
    int fd = listen_on(ep, err);
    if (fd < 0) return false;
    stats_.push_back({"listen " + ep.text(), 0, 0, 0, 0, 0, 0, true});
    listeners_.push_back({fd, stats_.size() - 1, false});
    watch(fd, EPOLLIN, tag(kListener, listeners_.size() - 1));
  }
  if (!config_.kafka_brokers.empty()) {
    kafka_ = std::make_unique<KafkaSource>(config_, sink_);
    if (!kafka_->open(err)) return false;
    stats_.push_back({"kafka " + config_.kafka_brokers, 0, 0, 0, 0, 0, 0, true});
    kafka_source_ = stats_.size() - 1;
    watch(kafka_->fd(), EPOLLIN, tag(kKafka, 0));
  }
  if (!config_.connect_urls.empty()) {
    urls_ = std::make_unique<UrlSources>(config_, sink_);
    if (!urls_->open(stats_, err)) return false;
    watch(urls_->fd(), EPOLLIN, tag(kUrl, 0));
  }
  int64_t now = wall_ms();
  for (const Endpoint& ep : config_.connect) {
    stats_.push_back({"connect " + ep.text(), 0, 0, 0, 0, 0, 0, true});
    Connector& c = connectors_.emplace_back();
    c.ep = ep;
    c.source = stats_.size() - 1;
    c.retry_at = now;
    c.backoff_ms = kFirstBackoffMs;
  }
  return true;
}

bool Reader::start_next_input() {
  for (;;) {
    std::string err;
    // (Stdin that was closed, with /dev/null standing in for fd 0, fails here too: InputFiles knows.)
    InputFiles::Next next = file_.next(err);
    if (next == InputFiles::Next::End) {
      if (files_clock_open_) sink_.close_source(files_clock_);
      files_clock_open_ = false;
      return false;
    }
    if (next == InputFiles::Next::Failed) {  // reported; the other inputs are still read
      error(err);
      failed_ = true;
      continue;
    }
    // One entry for all files: a directory can hold half a million of them.
    if (!files_counted_) stats_.push_back({"files", 0, 0, 0, 0, 0, 0, false});
    if (!files_counted_) file_source_ = stats_.size() - 1;
    if (!files_counted_) files_clock_ = sink_.open_source("files", false, wall_ms());
    files_clock_open_ = !files_counted_ || files_clock_open_;
    files_counted_ = true;
    file_open_ = true;
    struct stat st;
    // Pipes, terminals and sockets are polled with the rest; regular files, block devices, what epoll
    // refuses (/dev/null and other always-ready character devices) and compressed files (decoded on other
    // threads) are read straight away.
    // A bigger pipe buffer: fewer reads and wake-ups per megabyte when a producer writes fast (best effort;
    // the kernel caps it at /proc/sys/fs/pipe-max-size).
    if (fstat(file_.fd(), &st) == 0 && S_ISFIFO(st.st_mode)) fcntl(file_.fd(), F_SETPIPE_SZ, 1 << 20);
    file_polled_ = file_.pollable() && fstat(file_.fd(), &st) == 0 && !S_ISREG(st.st_mode) &&
                   !S_ISBLK(st.st_mode) && watch(file_.fd(), EPOLLIN, tag(kFile, 0));
    // A plain regular file, and parsing threads: they read it, by ranges. Its own descriptor: InputFiles
    // closes the input's as soon as the next is opened, while ranges may still be reading.
    if (sink_.reads_ranges() && file_.plain_file() && fstat(file_.fd(), &st) == 0) {
      if (int fd = fcntl(file_.fd(), F_DUPFD_CLOEXEC, 3); fd >= 0) {
        range_file_ = std::make_shared<RangeFile>(fd, file_.name());
        range_at_ = 0;
        range_size_ = static_cast<uint64_t>(st.st_size);
      }
    }
    return true;
  }
}

void Reader::finish_file() {
  range_file_.reset();  // closed once its last range is read
  Line line;
  if (!sink_.done() && file_framer_.finish(line)) {
    ++stats_[file_source_].lines;
    sink_.from_source(files_clock_, wall_ms());
    sink_.line(line, wall_ms());
  }
  if (file_polled_) unwatch(file_.fd());
  file_open_ = false;
}

void Reader::hand_out_range() {
  RangeFile& file = *range_file_;
  if (range_at_ >= range_size_ && !file.failed.load(std::memory_order_relaxed)) {
    struct stat st;  // at the end seen: has it grown since (or shrunk)?
    if (fstat(file.fd, &st) == 0) range_size_ = static_cast<uint64_t>(st.st_size);
  }
  // The end, or a range failed to read (the sink says so, in input order): the file is done.
  if (range_at_ >= range_size_ || file.failed.load(std::memory_order_relaxed)) {
    finish_file();
    return;
  }
  uint64_t end = std::min<uint64_t>(range_at_ + config_.read_range, range_size_);
  int64_t now = wall_ms();
  stats_[file_source_].bytes += end - range_at_;  // its lines are counted by the sink, which frames them
  sink_.from_source(files_clock_, now);
  sink_.range(range_file_, range_at_, end, now);
  range_at_ = end;
}

void Reader::read_file_chunk() {
  if (range_file_) return hand_out_range();
  std::string err;
  long n = file_.read(file_framer_.write_area(), err);
  if (uint64_t in = file_.take_input_bytes()) {  // as stored: compressed bytes for a compressed input
    stats_[file_source_].bytes += in;
    sink_.count_bytes(in);
  }
  if (n == InputFiles::kAgain) {  // nothing decoded yet; compressed stdin is decoded on other threads
    if (file_polled_ && !file_.pollable()) {
      unwatch(file_.fd());
      file_polled_ = false;
    }
    return;
  }
  if (n < 0) {
    error(err);
    failed_ = true;
    if (file_.ended()) finish_file();  // a damaged block or member is skipped; the rest is read
    return;
  }
  if (n == 0) {
    finish_file();
    return;
  }
  int64_t now = wall_ms();
  file_framer_.commit(static_cast<size_t>(n));
  sink_.from_source(files_clock_, now);
  sink_.lines_from(file_framer_, now, stats_[file_source_].lines);
}

void Reader::pause_listeners(bool pause) {
  for (size_t i = 0; i < listeners_.size(); ++i) {
    Listener& l = listeners_[i];
    if (l.paused == pause) continue;
    l.paused = pause;
    if (pause) {
      unwatch(l.fd);  // producers wait in the kernel's backlog
    } else {
      watch(l.fd, EPOLLIN, tag(kListener, i));
    }
  }
}

void Reader::accept_all(Listener& l) {
  while (connections_ < config_.max_connections) {
    int fd = accept4(l.fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (int e = errno; e == EMFILE || e == ENFILE) {
        // Out of descriptors: the producer stays in the backlog. The listeners are not watched meanwhile
        // (level-triggered, they would wake the loop at once, for nothing) until a connection closes, or
        // kFdRetryMs for a descriptor released elsewhere; said at most once per NoteLimiter::kEveryMs.
        int64_t now = wall_ms();
        fd_notes_.note(now, fmt::format("warning: cannot accept on {}: {} ({}; {} connection{} open); new "
                                        "producers wait until a descriptor is free",
                                        stats_[l.source].name.substr(7), std::strerror(e), fd_limit_note(e),
                                        connections_, connections_ == 1 ? "" : "s"));
        pause_listeners(true);
        fd_retry_at_ = now + kFdRetryMs;
      }
      return;  // EAGAIN: all accepted
    }
    if (!config_.allow.empty() && std::none_of(config_.allow.begin(), config_.allow.end(),
                                               [&](const Cidr& c) { return peer_in(fd, c); })) {
      // Not on the list: closed before a byte is read. Counted; said once, so a flood cannot fill stderr.
      if (!warned_refused_)
        warn(fmt::format("warning: refused {} on {} (not in --allow); further refusals are only counted",
                         peer_name(fd), stats_[l.source].name.substr(7)));
      warned_refused_ = true;
      ++stats_[l.source].refused;
      ::close(fd);
      continue;
    }
    ++connections_;
    ++stats_[l.source].accepted;
    Stream s{fd, l.source, peer_name(fd), Framer(config_.max_line, kSocketReadSize), -1, wall_ms()};
    s.clock = sink_.open_source(stats_[l.source].name + " " + s.name, false, s.last_read);
    streams_.emplace(fd, std::move(s));
    watch(fd, EPOLLIN | EPOLLRDHUP, tag(kStream, static_cast<uint64_t>(fd)));
  }
  if (!warned_full_) {
    warn(fmt::format("warning: {} connections open (--max-connections); further producers wait",
                     config_.max_connections));
    warned_full_ = true;
  }
  pause_listeners(true);
}

bool Reader::read_stream(int fd) {
  auto it = streams_.find(fd);
  if (it == streams_.end()) return false;
  Stream& s = it->second;
  auto area = s.framer.write_area();
  ssize_t n;
  do n = ::read(fd, area.data(), area.size());
  while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
  int64_t now = wall_ms();
  if (n <= 0) {  // end of stream or a reset: the producer is gone
    if (n < 0) warn(fmt::format("warning: {} ({}): {}", s.name, stats_[s.source].name, std::strerror(errno)));
    close_stream(fd);
    return false;
  }
  stats_[s.source].bytes += static_cast<uint64_t>(n);
  sink_.count_bytes(static_cast<uint64_t>(n));
  s.last_read = now;
  if (!s.delivered && s.connector >= 0)  // a server that sends is reconnected to at once when it closes
    connectors_[static_cast<size_t>(s.connector)].backoff_ms = kFirstBackoffMs;
  s.delivered = true;
  s.framer.commit(static_cast<size_t>(n));
  sink_.from_source(s.clock, now);
  Line line;
  while (!sink_.done() && s.framer.next(line)) {  // once done, the rest stays unread
    ++stats_[s.source].lines;
    sink_.line(line, now);
  }
  if (sink_.done()) return true;
  pending_ = pending_ - s.pending + s.framer.buffered();
  s.pending = s.framer.buffered();
  if (pending_ > config_.max_buffered) enforce_budget();
  return true;
}

void Reader::enforce_budget() {
  while (pending_ > config_.max_buffered) {
    Stream* big = nullptr;
    for (auto& [fd, s] : streams_)
      if (!big || s.pending > big->pending) big = &s;
    if (!big || big->pending == 0) return;
    if (!warned_budget_)
      warn(
          fmt::format("warning: unfinished lines passed --max-buffered {} MiB across connections; the "
                      "largest are dropped as oversized (a line from {})",
                      config_.max_buffered >> 20, big->name));
    warned_budget_ = true;
    pending_ -= big->pending;
    big->pending = 0;
    big->framer.drop_unfinished();
  }
}

void Reader::drain(int64_t deadline) {
  stopping_ = true;
  for (Connector& c : connectors_) {  // no new connection; those being made have sent nothing
    c.gave_up = true;
    if (c.connecting && c.fd >= 0) {
      unwatch(c.fd);
      ::close(c.fd);
      c.fd = -1;
      c.connecting = false;
    }
  }
  // Every stream counts as active at the stop: read until it has nothing, then given kQuietMs for more.
  int64_t start = wall_ms();
  for (auto& [fd, s] : streams_) s.last_read = std::max(s.last_read, start);
  file_last_ = start;
  bool pipe = file_open_ && file_polled_;  // a regular file is not read on after a stop
  epoll_event events[64];
  while (!sink_.done()) {
    int64_t now = wall_ms();
    int64_t wake = deadline;
    std::vector<int> quiet;
    for (const auto& [fd, s] : streams_) {
      if (now - s.last_read >= kQuietMs) {
        quiet.push_back(fd);
      } else {
        wake = std::min(wake, s.last_read + kQuietMs);
      }
    }
    for (int fd : quiet) close_stream(fd);  // its slot goes to a producer waiting to be accepted
    if (pipe && file_open_ && now - file_last_ >= kQuietMs) finish_file();
    if (pipe && file_open_) wake = std::min(wake, file_last_ + kQuietMs);
    if (streams_.empty() && !(pipe && file_open_)) {
      for (Listener& l : listeners_) accept_all(l);  // anything still waiting?
      if (streams_.empty()) break;
      continue;
    }
    if (now >= deadline) break;
    int n =
        epoll_wait(epoll_, events, 64, static_cast<int>(std::clamp<int64_t>(wake - now, 0, kStopGraceMs)));
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < n && !sink_.done(); ++i) {
      uint64_t t = events[i].data.u64;
      uint64_t value = t & ((uint64_t{1} << 56) - 1);
      switch (static_cast<Tag>(t >> 56)) {
        case kListener:
          if (!listeners_[value].paused) accept_all(listeners_[value]);
          break;
        case kStream:  // a few MiB at a time, so that one producer that never stops cannot starve the rest
          for (int reads = 0; reads < 64 && read_stream(static_cast<int>(value)) && !sink_.done(); ++reads) {
          }
          break;
        case kFile:
          if (file_open_) {
            read_file_chunk();
            file_last_ = wall_ms();
          }
          break;
        case kParsed:
          sink_.clear_parsed();
          break;
        case kUrl:  // what the URL streams received meanwhile (this empties their pipe)
          urls_->poll(wall_ms(), stats_, false);
          break;
        case kConnecting:
        case kKafka:
          break;
      }
    }
    sink_.tick(wall_ms());
    sink_.flush();
  }
  // The grace period is over: what is still open is closed, its unfinished line counted.
  std::vector<int> fds;
  for (const auto& [fd, s] : streams_) fds.push_back(fd);
  for (int fd : fds) close_stream(fd);
  if (pipe && file_open_) finish_file();
}

void Reader::close_stream(int fd) {
  auto it = streams_.find(fd);
  Stream& s = it->second;
  // A fragment the producer left without a newline is a line of its own (malformed if not a record).
  Line line;
  if (!sink_.done() && s.framer.finish(line)) {
    ++stats_[s.source].lines;
    sink_.from_source(s.clock, wall_ms());
    sink_.line(line, wall_ms());
  }
  sink_.close_source(s.clock);  // after its last line
  pending_ -= s.pending;
  unwatch(fd);
  ::close(fd);
  int connector = s.connector;
  size_t source = s.source;
  bool delivered = s.delivered;
  streams_.erase(it);
  if (connector >= 0) {
    Connector& c = connectors_[static_cast<size_t>(connector)];
    c.fd = -1;
    if (delivered) c.ended = true;
    connector_lost(static_cast<size_t>(connector), wall_ms(), "connection closed", false);
    return;
  }
  ++stats_[source].closed;
  --connections_;
  if (connections_ < config_.max_connections) pause_listeners(false);
}

int64_t Reader::expire_idle(int64_t now) {
  int64_t timeout = config_.client_timeout_ms;
  int64_t next = kNoTime;
  std::vector<int> idle;
  for (const auto& [fd, s] : streams_) {
    if (s.connector >= 0) continue;  // --connect servers have their own reconnect logic
    if (now - s.last_read >= timeout) {
      idle.push_back(fd);
    } else if (next == kNoTime || s.last_read + timeout < next) {
      next = s.last_read + timeout;
    }
  }
  for (int fd : idle) {
    ++stats_[streams_.at(fd).source].timeouts;
    close_stream(fd);  // what it sent is counted; an unfinished line counts as a line of its own
  }
  return next;
}

int Reader::poll_timeout(int64_t now, int64_t hook_wake) const {
  if ((file_open_ && !file_polled_) || kafka_more_) return 0;  // a regular file is always readable
  int64_t wake = kNoTime;
  auto sooner = [&](int64_t t) {
    if (t != kNoTime && (wake == kNoTime || t < wake)) wake = t;
  };
  sooner(hook_wake);
  sooner(sink_.next_deadline());
  if (config_.client_timeout_ms > 0 && next_expiry_ != kNoTime) sooner(next_expiry_);
  sooner(fd_retry_at_);
  for (const Connector& c : connectors_)
    if (!c.gave_up && c.fd < 0) sooner(c.retry_at);
  if (urls_) sooner(url_wake_);
  // librdkafka signals its queue's first message; --exit-at-end's partition ends are checked at least
  // every 100 ms besides.
  int64_t cap = kafka_ ? 100 : 60'000;
  if (wake == kNoTime) return kafka_ ? static_cast<int>(cap) : -1;
  return static_cast<int>(std::clamp<int64_t>(wake - now, 0, cap));
}

bool Reader::run(const volatile std::sig_atomic_t& stop, const TickHook& hook) {
  epoll_event events[64];
  bool ended = false;  // by the hook (--duration)
  for (;;) {
    if (sink_.done() || stop) break;
    int64_t now = wall_ms();
    int64_t hook_wake = hook(now);
    if (hook_wake == kEndRun) {
      ended = true;
      break;
    }
    if (!file_open_) start_next_input();
    if (fd_retry_at_ != kNoTime && now >= fd_retry_at_) {  // out of descriptors a while ago: try again
      fd_retry_at_ = kNoTime;
      if (connections_ < config_.max_connections) pause_listeners(false);
    }
    for (size_t i = 0; i < connectors_.size(); ++i) {
      Connector& c = connectors_[i];
      if (!c.gave_up && c.fd < 0 && c.retry_at <= now) attempt(i, now);
    }
    bool connectors_live =
        std::any_of(connectors_.begin(), connectors_.end(), [](const Connector& c) { return !c.gave_up; });
    bool kafka_live = kafka_ && !kafka_->ended();
    bool urls_live = urls_ && urls_->live();
    if (!file_open_ && listeners_.empty() && !connectors_live && streams_.empty() && !kafka_live &&
        !urls_live)
      break;  // all sources ended

    int n = epoll_wait(epoll_, events, 64, poll_timeout(now, hook_wake));
    if (n < 0 && errno != EINTR) {
      error(fmt::format("epoll_wait: {}", std::strerror(errno)));
      failed_ = true;
      break;
    }
    for (int i = 0; i < n && !sink_.done(); ++i) {
      uint64_t t = events[i].data.u64;
      uint64_t value = t & ((uint64_t{1} << 56) - 1);
      switch (static_cast<Tag>(t >> 56)) {
        case kListener:
          accept_all(listeners_[value]);
          break;
        case kStream:
          read_stream(static_cast<int>(value));
          break;
        case kConnecting:
          connect_done(value, wall_ms());
          break;
        case kFile:
          if (file_open_) read_file_chunk();
          break;
        case kParsed:
          sink_.clear_parsed();  // tick() below counts what is ready
          break;
        case kKafka:
        case kUrl:
          break;  // polled every turn
      }
    }
    if (kafka_ && !sink_.done()) kafka_more_ = kafka_->poll(stats_[kafka_source_]);
    if (kafka_ && kafka_->failed()) {
      failed_ = true;
      break;
    }
    if (urls_ && !sink_.done()) url_wake_ = urls_->poll(wall_ms(), stats_);  // and connects what is due
    if (file_open_ && !file_polled_ && !sink_.done()) read_file_chunk();
    if (config_.client_timeout_ms > 0 && !listeners_.empty()) {
      int64_t t = wall_ms();
      if (t >= next_expiry_) next_expiry_ = expire_idle(t);
    }
    sink_.tick(wall_ms());
    sink_.flush();
  }
  // Stopped by a signal or --duration: what producers already sent (acknowledged by TCP, in our socket
  // buffers or the accept queue) is read and counted; the URL streams hand over what already arrived.
  if ((stop || ended) && !sink_.done()) drain(wall_ms() + kStopGraceMs);
  if ((stop || ended) && urls_ && !sink_.done()) urls_->poll(wall_ms(), stats_, false);
  // Kafka records waiting for a commit's answer: counted if it comes soon, else left for the group.
  if (kafka_) kafka_->settle(stats_[kafka_source_]);
  return !failed_ && !(urls_ && urls_->failed());
}

}  // namespace trendtop
