// UrlSources (--connect ws://, wss://, http://, https://): every URL as one more source of the reader's
// epoll loop (reader.h), as Kafka is one: the transport (url_client.h) runs in a thread of its own and wakes
// the loop through a pipe; here, on the loop's thread, each URL's deliveries go through its feed
// (url_feed.h: records, Jetstream cursors, SSE ids) into the sink, and connections are retried by the rules
// of TCP --connect: exponential backoff from 100 ms doubling to 30 s; after a failure (no connection, TLS,
// a protocol error, HTTP 5xx, or a connection that ended before it sent anything) --retry N more attempts;
// after a clean end (the server closed the connection or the WebSocket, or ended the body, having sent
// data) a reconnect unless --retry 0. Only a connection that delivers data ends the backoff and the count of
// failures (a handshake that succeeds is not enough: a server that answers and hangs up keeps failing). The
// messages about a server are at most one every 10 s, as the reader's about TCP servers. An answer
// retrying cannot change (HTTP 4xx other than 408, 425 and 429, a plain HTTP server at a ws:// URL) gives up
// at once.
//
// Each URL has its line in --stats (connects, failures, lines, bytes, and `replayed`: Jetstream events sent
// again after a resume and dropped, being counted already).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config.h"
#include "input/line_sink.h"
#include "input/url.h"
#include "input/url_client.h"
#include "input/url_feed.h"

namespace trendtop {

struct SourceStats;

class UrlSources {
 public:
  // Whether this build has URL sources, and the libraries' versions for --version ("" without).
  static bool available();
  static std::string version();
  // Before anything runs: the build has URL sources, --cacert loads. False with a message (a usage error).
  static bool check(const Config& config, std::string& error);

  UrlSources(const Config& config, LineSink& sink);
  ~UrlSources();
  // Starts the transport and adds a stats entry per URL. False with a message.
  bool open(std::vector<SourceStats>& stats, std::string& error);
  // Readable when the transport has news (poll it with EPOLLIN).
  int fd() const;
  // Hands over what arrived, then (if `connect`) starts the connections that are due. Returns the next wall
  // time it wants a turn besides fd() becoming readable (kNoTime: none).
  int64_t poll(int64_t now, std::vector<SourceStats>& stats, bool connect = true);
  // Some URL is connected, connecting or waiting to retry.
  bool live() const;
  // Some URL gave up after a failure (reported on stderr).
  bool failed() const { return failed_; }

 private:
  struct Source;
  void lost(Source& s, SourceStats& stats, int64_t now, UrlClient::Outcome outcome, std::string_view why);
  UrlRequest request(const Source& s) const;

  const Config& config_;
  LineSink& sink_;
  UrlClient client_;
  UrlClient::Batch batch_;
  std::vector<std::unique_ptr<Source>> sources_;
  bool failed_ = false;
  bool stopping_ = false;  // the run is ending: what arrived is handed over, nothing more is said or started
};

}  // namespace trendtop
