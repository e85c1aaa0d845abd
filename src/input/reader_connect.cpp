// The Reader's --connect side: connecting to a server, and retrying with backoff when a connect fails or a
// connection ends (reader.h).
#include <algorithm>
#include <cstring>
#include <string>

#include <sys/epoll.h>
#include <unistd.h>

#include <fmt/format.h>

#include "input/reader.h"
#include "input/reader_impl.h"
#include "util/duration.h"
#include "util/log.h"

namespace trendtop {

using namespace reader_detail;

void Reader::attempt(size_t i, int64_t now) {
  Connector& c = connectors_[i];
  std::string err;
  int fd = start_connect(c.ep, err);
  if (fd < 0) {
    connector_lost(i, now, err, true);
    return;
  }
  c.fd = fd;
  c.connecting = true;
  watch(fd, EPOLLOUT, tag(kConnecting, i));
}

void Reader::connect_done(size_t i, int64_t now) {
  Connector& c = connectors_[i];
  int fd = c.fd;
  c.connecting = false;
  if (int e = connect_result(fd); e != 0) {
    unwatch(fd);
    ::close(fd);
    c.fd = -1;
    connector_lost(i, now, fmt::format("cannot connect to {}: {}", c.ep.text(), std::strerror(e)), true);
    return;
  }
  if (c.failures > 0 || stats_[c.source].connects > 0)
    c.notes.note(now, fmt::format("connected to {}", c.ep.text()));
  ++stats_[c.source].connects;
  c.failures = 0;  // the backoff goes back to the start only once the server sends something
  Stream s{fd, c.source, c.ep.text(), Framer(config_.max_line, kSocketReadSize), static_cast<int>(i)};
  s.clock = sink_.open_source(stats_[c.source].name, false, now);
  streams_.emplace(fd, std::move(s));
  watch(fd, EPOLLIN | EPOLLRDHUP, tag(kStream, static_cast<uint64_t>(fd)));
}

// A connect failed (failed = true) or a connection ended: retry with backoff, or give up. A connection that
// delivered nothing does not reset the backoff (a server that accepts and closes at once is not hammered).
void Reader::connector_lost(size_t i, int64_t now, const std::string& why, bool failed) {
  Connector& c = connectors_[i];
  if (stopping_) return;  // the run is ending: no retry, nothing to say
  if (failed) {
    ++c.failures;
    ++stats_[c.source].failures;
  }
  // --retry N: N more attempts after a failure; after a clean close, --retry 0 means stop quietly.
  if (config_.retry >= 0 && (failed ? c.failures > config_.retry : config_.retry == 0)) {
    c.gave_up = true;
    if (failed && c.ended) {
      // The stream ended (the server closed it after sending), and no server came back: a normal end.
      warn(fmt::format("{}: the stream ended and the server did not come back ({}; {} retr{})", c.ep.text(),
                       why, config_.retry, config_.retry == 1 ? "y" : "ies"));
    } else if (failed) {
      error(fmt::format("{}; giving up{}", why,
                        config_.retry > 0
                            ? fmt::format(" after {} retr{}", config_.retry, config_.retry == 1 ? "y" : "ies")
                            : std::string()));
      failed_ = true;
    } else {
      warn(fmt::format("{}: {}; not reconnecting (--retry 0)", c.ep.text(), why));
    }
    return;
  }
  c.retry_at = now + c.backoff_ms;
  c.notes.note(now, fmt::format("{}{}; retrying in {}", failed ? "" : c.ep.text() + ": ", why,
                                format_wait(c.backoff_ms)));
  c.backoff_ms = std::min(c.backoff_ms * 2, kMaxBackoffMs);
}

}  // namespace trendtop
