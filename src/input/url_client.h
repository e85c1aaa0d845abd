// UrlClient: the network side of --connect URLs. One thread runs Boost.Asio for every URL source: DNS,
// TCP, TLS (OpenSSL: the system's CA store or --cacert, certificate and host name verified), the WebSocket
// protocol and HTTP/1.1 (Boost.Beast: handshake, masking, fragments, ping/pong, close frames; chunked and
// plain bodies), redirects. What connections deliver is queued in order for the reader's thread, which a
// pipe wakes: the epoll loop polls it as it polls Kafka's. Nothing here frames lines or counts records
// (url_feed.h does, on the reader's thread); nothing here prints (outcomes are events with one line of text).
//
// Flow control: when more than `budget` bytes wait for the reader, connections stop reading until take()
// empties the queue, so a slow pipeline slows the servers through TCP, as with every other source.
//
// Built only with Boost.Beast and OpenSSL (CMake option TRENDTOP_URL); without them available() is false
// and --connect URLs are refused with a message saying so.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "input/url.h"

namespace trendtop {

struct UrlRequest {
  Url url;
  std::vector<std::pair<std::string, std::string>> headers;  // sent as given (-H, Last-Event-ID)
};

class UrlClient {
 public:
  // How a connection ended: cleanly (the server closed it, sent a close frame or ended the body: reconnect
  // as after a TCP close), failed (retry with backoff), or fatal (an answer retrying cannot change, such as
  // HTTP 401 or 404: give up at once).
  enum class Outcome : uint8_t { Closed, Failed, Fatal };
  struct Event {
    enum class Kind : uint8_t { Connected, Data, MessageEnd, Ended };
    Kind kind;
    uint8_t detail;  // Connected: the UrlFeed::Mode; Ended: the Outcome
    uint32_t source;
    size_t offset, size;  // Data: the bytes; Ended: why, one line; in Batch::bytes
  };
  struct Batch {
    std::vector<Event> events;
    std::string bytes;
    std::string_view text(const Event& e) const { return std::string_view(bytes).substr(e.offset, e.size); }
  };

  // Whether this build has URL sources; the libraries' versions for --version ("" without).
  static bool available();
  static std::string version();
  // What can be checked before anything runs: the CA file (--cacert) loads. False with a message.
  static bool check(const std::string& cacert, std::string& error);

  UrlClient(std::string cacert, size_t budget);
  ~UrlClient();
  // Loads the CA store and starts the thread. False with a message.
  bool open(std::string& error);
  // Readable when events wait (poll it with EPOLLIN).
  int fd() const;
  // Starts a connection for `source`; exactly one Ended event follows, maybe after Connected and Data.
  void connect(uint32_t source, UrlRequest request);
  // The events queued so far, in order, swapped into `out` (whose old contents are dropped). Paused
  // connections read again.
  void take(Batch& out);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace trendtop
