#include "input/url_client.h"

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/version.hpp>

#include "input/url_feed.h"

namespace trendtop {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

namespace {

constexpr size_t kReadSize = 64 << 10;
constexpr int kMaxRedirects = 5;
constexpr auto kConnectTimeout = 30s;  // resolve + connect + TLS + handshake or response header, each
// A WebSocket silent this long is pinged; silent as long again, it is given up as dead.
constexpr auto kIdleTimeout = 60s;

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

// Text a server chose (a status reason, a close reason), made safe for one line on a terminal.
std::string printable(std::string_view s, size_t max = 120) {
  std::string out;
  for (char c : s.substr(0, max)) out.push_back(c >= ' ' && c < 0x7f ? c : '?');
  if (s.size() > max) out += "...";
  return out;
}

std::string status_text(unsigned code, std::string_view reason) {
  return fmt::format("HTTP {}{}{}", code, reason.empty() ? "" : " ", printable(reason));
}

bool ieq(std::string_view a, std::string_view b) {
  return beast::iequals(a, b);
}

}  // namespace

class SessionBase : public std::enable_shared_from_this<SessionBase> {
 public:
  virtual ~SessionBase() = default;
  virtual void start() = 0;
  virtual void resume() = 0;
};

struct UrlClient::Impl {
  std::string cacert;
  size_t budget;
  // Destroyed after the io_context, whose handlers hold the sessions that use it.
  ssl::context tls{ssl::context::tls_client};
  net::io_context io{1};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::thread thread;
  int pipe_r = -1, pipe_w = -1;

  std::mutex mu;
  Batch pending;           // guarded by mu
  bool signalled = false;  // guarded by mu: a byte waits in the pipe
  std::atomic<size_t> pending_bytes{0};
  std::atomic<bool> any_paused{false};
  std::vector<std::shared_ptr<SessionBase>> paused;  // the I/O thread's

  Impl(std::string c, size_t b) : cacert(std::move(c)), budget(b) {}
  ~Impl() {
    if (thread.joinable()) {
      work.reset();
      io.stop();
      thread.join();
    }
    if (pipe_r >= 0) ::close(pipe_r);
    if (pipe_w >= 0) ::close(pipe_w);
  }

  // On the I/O thread: an event for the reader.
  void push(uint32_t source, Event::Kind kind, uint8_t detail, std::string_view bytes = {}) {
    std::lock_guard lock(mu);
    pending.events.push_back({kind, detail, source, pending.bytes.size(), bytes.size()});
    pending.bytes.append(bytes);
    pending_bytes = pending.bytes.size();
    if (!signalled) {
      signalled = true;
      char one = 1;
      [[maybe_unused]] ssize_t n = ::write(pipe_w, &one, 1);
    }
  }
  bool over_budget() const { return pending_bytes.load() >= budget; }
  // A session that stops reading until take() empties the queue. If take() ran meanwhile (and so saw no
  // paused session), it goes on at once: the flag and the byte count are ordered (seq_cst) for that.
  void pause(const std::shared_ptr<SessionBase>& s) {
    paused.push_back(s);
    any_paused = true;
    if (!over_budget()) {
      paused.pop_back();
      s->resume();
    }
  }
  void start(uint32_t source, UrlRequest request, int redirects);
};

namespace {

template <bool Tls, bool Ws>
class Session final : public SessionBase {
  using Stream = std::conditional_t<Tls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;
  using Io = std::conditional_t<Ws, websocket::stream<Stream>, Stream>;

 public:
  Session(UrlClient::Impl& c, uint32_t source, UrlRequest request, int redirects)
      : c_(c),
        source_(source),
        req_(std::move(request)),
        redirects_(redirects),
        resolver_(c.io),
        io_(make(c)) {}

  void start() override {
    resolver_.async_resolve(req_.url.host, std::to_string(req_.url.port),
                            [self = shared(), this](beast::error_code ec, tcp::resolver::results_type r) {
                              if (ec)
                                return end(UrlClient::Outcome::Failed,
                                           fmt::format("cannot resolve {}: {}", req_.url.host, ec.message()));
                              tcp().expires_after(kConnectTimeout);
                              tcp().async_connect(
                                  r, [self, this](beast::error_code e, tcp::endpoint) { connected(e); });
                            });
  }

  void resume() override {
    if constexpr (Ws) {
      read_message();
    } else {
      read_body();
    }
  }

 private:
  static Io make(UrlClient::Impl& c) {
    if constexpr (Tls) {
      return Io(c.io, c.tls);
    } else {
      return Io(c.io);
    }
  }
  std::shared_ptr<Session> shared() { return std::static_pointer_cast<Session>(shared_from_this()); }
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(io_); }
  Stream& stream() {
    if constexpr (Ws) {
      return io_.next_layer();
    } else {
      return io_;
    }
  }

  void end(UrlClient::Outcome outcome, std::string_view why) {
    if (ended_) return;
    ended_ = true;
    c_.push(source_, UrlClient::Event::Kind::Ended, static_cast<uint8_t>(outcome), why);
    beast::error_code ignored;
    tcp().socket().close(ignored);
  }

  void connected(beast::error_code ec) {
    if (ec) {
      return end(UrlClient::Outcome::Failed,
                 fmt::format("cannot connect to {}:{}: {}", req_.url.host, req_.url.port,
                             ec == beast::error::timeout ? "timed out" : ec.message()));
    }
    beast::error_code ignored;
    tcp().socket().set_option(net::socket_base::keep_alive(true), ignored);  // a dead peer is noticed
    if constexpr (Tls) {
      SSL* ssl = stream().native_handle();
      const std::string& host = req_.url.host;
      // The certificate must be for the host: its name (and SNI), or its address for an IP literal.
      if (is_ip_literal(host)) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
      } else {
        SSL_set_tlsext_host_name(ssl, host.c_str());
        SSL_set1_host(ssl, host.c_str());
      }
      stream().async_handshake(ssl::stream_base::client,
                               [self = shared(), this](beast::error_code e) { secured(e); });
    } else {
      secured({});
    }
  }

  void secured(beast::error_code ec) {
    if (ec) {
      std::string why = fmt::format("TLS handshake failed: {}", ec.message());
      if constexpr (Tls) {
        long v = SSL_get_verify_result(stream().native_handle());
        if (v == X509_V_ERR_HOSTNAME_MISMATCH || v == X509_V_ERR_IP_ADDRESS_MISMATCH)
          why = fmt::format("TLS: the server's certificate is not for {} ({})", req_.url.host,
                            X509_verify_cert_error_string(v));
        else if (v != X509_V_OK)
          why = fmt::format("TLS: the server's certificate is not trusted: {} (a private CA? --cacert FILE)",
                            X509_verify_cert_error_string(v));
      }
      return end(UrlClient::Outcome::Failed, why);
    }
    if constexpr (Ws) {
      handshake();
    } else {
      request();
    }
  }

  // --- WebSocket

  void handshake() {
    tcp().expires_never();  // the WebSocket stream keeps its own time limits
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = kConnectTimeout;
    timeout.idle_timeout = kIdleTimeout;
    timeout.keep_alive_pings = true;
    io_.set_option(timeout);
    io_.set_option(websocket::stream_base::decorator([this](websocket::request_type& r) {
      r.set(http::field::user_agent, "trendtop/" TRENDTOP_VERSION);
      add_headers(r);
    }));
    websocket::permessage_deflate deflate;
    deflate.client_enable = true;
    io_.set_option(deflate);
    io_.read_message_max(0);  // no limit here: the feed drops lines past --max-line as they stream
    io_.async_handshake(
        res_, req_.url.host_header(), req_.url.target, [self = shared(), this](beast::error_code ec) {
          if (ec) {
            if (ec == websocket::error::upgrade_declined)
              return status(res_.result_int(), res_.reason(), res_);
            if (ec == beast::error::timeout)
              return end(UrlClient::Outcome::Failed, "no WebSocket handshake: timed out");
            return end(UrlClient::Outcome::Failed,
                       fmt::format("not a WebSocket server: {}{}", ec.message(), tls_hint(ec)));
          }
          c_.push(source_, UrlClient::Event::Kind::Connected, static_cast<uint8_t>(UrlFeed::Mode::WebSocket));
          read_message();
        });
  }

  void read_message() {
    if (c_.over_budget()) return c_.pause(shared_from_this());
    io_.async_read_some(net::buffer(buf_), [self = shared(), this](beast::error_code ec, size_t n) {
      if (n > 0) c_.push(source_, UrlClient::Event::Kind::Data, 0, std::string_view(buf_.data(), n));
      if (!ec && io_.is_message_done()) c_.push(source_, UrlClient::Event::Kind::MessageEnd, 0);
      if (!ec) return read_message();
      if (ec == websocket::error::closed) {
        const websocket::close_reason& r = io_.reason();
        return end(UrlClient::Outcome::Closed,
                   fmt::format("the server closed the WebSocket: {}{}{}", static_cast<unsigned>(r.code),
                               r.reason.empty() ? "" : " ",
                               printable(std::string_view(r.reason.data(), r.reason.size()))));
      }
      if (ec == beast::error::timeout)
        return end(UrlClient::Outcome::Failed,
                   fmt::format("no data and no pong for {}s: connection given up", kIdleTimeout.count()));
      if (lost(ec)) return end(UrlClient::Outcome::Closed, fmt::format("connection lost: {}", ec.message()));
      end(UrlClient::Outcome::Failed, fmt::format("WebSocket protocol error: {}", ec.message()));
    });
  }

  // --- HTTP

  void request() {
    http_req_ = {http::verb::get, req_.url.target, 11};
    http_req_.set(http::field::host, req_.url.host_header());
    http_req_.set(http::field::user_agent, "trendtop/" TRENDTOP_VERSION);
    http_req_.set(http::field::accept, "text/event-stream, application/x-ndjson, */*;q=0.8");
    http_req_.set(http::field::cache_control, "no-cache");
    add_headers(http_req_);
    tcp().expires_after(kConnectTimeout);
    http::async_write(io_, http_req_, [self = shared(), this](beast::error_code ec, size_t) {
      if (ec)
        return end(UrlClient::Outcome::Failed, fmt::format("cannot send the request: {}", ec.message()));
      parser_.emplace();
      // A stream never ends. (Not boost::none: Beast 1.74 then refuses any Content-Length.)
      parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
      http::async_read_header(io_, read_buf_, *parser_, [self, this](beast::error_code e, size_t) {
        if (e) {
          if (e == beast::error::timeout)
            return end(UrlClient::Outcome::Failed, "no HTTP response: timed out");
          return end(UrlClient::Outcome::Failed,
                     fmt::format("not an HTTP response: {}{}", e.message(), tls_hint(e)));
        }
        auto& res = parser_->get();
        unsigned code = res.result_int();
        if (code < 200 || code > 299) return status(code, res.reason(), res);
        tcp().expires_never();
        auto type = res[http::field::content_type];
        bool sse = type.size() >= 17 && ieq(type.substr(0, 17), "text/event-stream");
        c_.push(source_, UrlClient::Event::Kind::Connected,
                static_cast<uint8_t>(sse ? UrlFeed::Mode::Sse : UrlFeed::Mode::Lines));
        read_body();
      });
    });
  }

  void read_body() {
    if (c_.over_budget()) return c_.pause(shared_from_this());
    parser_->get().body().data = buf_.data();
    parser_->get().body().size = buf_.size();
    http::async_read_some(io_, read_buf_, *parser_, [self = shared(), this](beast::error_code ec, size_t) {
      if (ec == http::error::need_buffer) ec = {};
      size_t n = buf_.size() - parser_->get().body().size;
      if (n > 0) c_.push(source_, UrlClient::Event::Kind::Data, 0, std::string_view(buf_.data(), n));
      if (!ec && parser_->is_done()) return end(UrlClient::Outcome::Closed, "the server ended the stream");
      if (!ec) return read_body();
      if (lost(ec) || ec == http::error::partial_message)
        return end(UrlClient::Outcome::Closed, fmt::format("connection lost: {}", ec.message()));
      end(UrlClient::Outcome::Failed, fmt::format("bad HTTP body: {}", ec.message()));
    });
  }

  // --- Both

  template <class Message>
  void add_headers(Message& m) {
    bool authorization = false;
    for (const auto& [name, value] : req_.headers) {
      m.set(name, value);
      authorization = authorization || ieq(name, "authorization");
    }
    if (!authorization && !req_.url.userinfo.empty())
      m.set(http::field::authorization, "Basic " + base64(req_.url.userinfo));
  }

  // A non-2xx answer (or anything but 101 to a WebSocket handshake): a redirect, or the end.
  template <class Response>
  void status(unsigned code, std::string_view reason, const Response& res) {
    std::string what = status_text(code, reason);
    if (code == 301 || code == 302 || code == 303 || code == 307 || code == 308) {
      if (redirects_ >= kMaxRedirects)
        return end(UrlClient::Outcome::Failed,
                   fmt::format("{}: more than {} redirects", what, kMaxRedirects));
      std::string err;
      std::optional<Url> to = resolve_location(req_.url, res[http::field::location], err);
      if (!to) return end(UrlClient::Outcome::Failed, fmt::format("{}: {}", what, err));
      UrlRequest next{*to, {}};
      // As curl: credentials go only to the host they were given for.
      for (const auto& h : req_.headers)
        if (to->same_origin(req_.url) ||
            !(ieq(h.first, "authorization") || ieq(h.first, "cookie") || ieq(h.first, "proxy-authorization")))
          next.headers.push_back(h);
      if (!to->same_origin(req_.url)) next.url.userinfo.clear();
      ended_ = true;  // the next session ends this connection attempt
      beast::error_code ignored;
      tcp().socket().close(ignored);
      c_.start(source_, std::move(next), redirects_ + 1);
      return;
    }
    bool has_token = false;
    for (const auto& h : req_.headers) has_token = has_token || ieq(h.first, "authorization");
    if (code == 401)
      return end(UrlClient::Outcome::Fatal,
                 has_token ? what + ": the server did not accept the -H 'Authorization: ...' given"
                           : what + ": the server wants a token: -H 'Authorization: Bearer ...'");
    if (code == 200 && Ws)
      return end(UrlClient::Outcome::Fatal, what +
                                                ": not a WebSocket endpoint (for a plain HTTP stream, use "
                                                "http:// or https://)");
    // Retrying helps with server trouble and rate limits, not with a request the server refuses.
    bool transient = code >= 500 || code == 408 || code == 425 || code == 429 || code < 200;
    end(transient ? UrlClient::Outcome::Failed : UrlClient::Outcome::Fatal, what);
  }

  // A TLS server hangs up on a plain request: say what the URL may have meant.
  static std::string tls_hint(beast::error_code ec) {
    if (Tls ||
        (ec != http::error::end_of_stream && ec != net::error::eof && ec != net::error::connection_reset))
      return {};
    return Ws ? " (a TLS server? wss://)" : " (a TLS server? https://)";
  }

  static bool lost(beast::error_code ec) {
    return ec == net::error::eof || ec == net::error::connection_reset ||
           ec == net::error::connection_aborted || ec == net::error::broken_pipe ||
           ec == ssl::error::stream_truncated || ec == websocket::error::closed;
  }

  UrlClient::Impl& c_;
  uint32_t source_;
  UrlRequest req_;
  int redirects_;
  bool ended_ = false;
  tcp::resolver resolver_;
  Io io_;
  std::array<char, kReadSize> buf_;
  // WebSocket: the handshake's response (its status when the upgrade is declined).
  websocket::response_type res_;
  // HTTP.
  http::request<http::empty_body> http_req_;
  beast::flat_buffer read_buf_;
  std::optional<http::response_parser<http::buffer_body>> parser_;
};

}  // namespace

void UrlClient::Impl::start(uint32_t source, UrlRequest request, int redirects) {
  std::shared_ptr<SessionBase> s;
  bool tls = request.url.tls(), ws = request.url.websocket();
  if (tls && ws) s = std::make_shared<Session<true, true>>(*this, source, std::move(request), redirects);
  if (tls && !ws) s = std::make_shared<Session<true, false>>(*this, source, std::move(request), redirects);
  if (!tls && ws) s = std::make_shared<Session<false, true>>(*this, source, std::move(request), redirects);
  if (!tls && !ws) s = std::make_shared<Session<false, false>>(*this, source, std::move(request), redirects);
  s->start();
}

bool UrlClient::available() {
  return true;
}

std::string UrlClient::version() {
  return fmt::format("Boost.Beast {}.{}, {}", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000,
                     OpenSSL_version(OPENSSL_VERSION));
}

namespace {
bool load_cas(ssl::context& tls, const std::string& cacert, std::string& error) {
  boost::system::error_code ec;
  if (cacert.empty()) {
    tls.set_default_verify_paths(ec);
    if (ec) error = fmt::format("cannot load the system's CA certificates: {}", ec.message());
  } else {
    // As curl: the file replaces the system's store.
    tls.load_verify_file(cacert, ec);
    if (ec)
      error = fmt::format("--cacert {}: no certificate could be read from it ({})", cacert, ec.message());
  }
  if (!ec) tls.set_verify_mode(ssl::verify_peer, ec);
  return !ec;
}
}  // namespace

bool UrlClient::check(const std::string& cacert, std::string& error) {
  ssl::context tls{ssl::context::tls_client};
  return load_cas(tls, cacert, error);
}

UrlClient::UrlClient(std::string cacert, size_t budget)
    : impl_(std::make_unique<Impl>(std::move(cacert), budget)) {}

UrlClient::~UrlClient() = default;

bool UrlClient::open(std::string& error) {
  Impl& c = *impl_;
  if (!load_cas(c.tls, c.cacert, error)) return false;
  c.tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
    error = fmt::format("pipe: {}", std::strerror(errno));
    return false;
  }
  c.pipe_r = fds[0];
  c.pipe_w = fds[1];
  c.work.emplace(c.io.get_executor());
  c.thread = std::thread([&c] { c.io.run(); });
  return true;
}

int UrlClient::fd() const {
  return impl_->pipe_r;
}

void UrlClient::connect(uint32_t source, UrlRequest request) {
  net::post(impl_->io, [c = impl_.get(), source, r = std::move(request)]() mutable {
    c->start(source, std::move(r), 0);
  });
}

void UrlClient::take(Batch& out) {
  Impl& c = *impl_;
  out.events.clear();
  out.bytes.clear();
  {
    std::lock_guard lock(c.mu);
    std::swap(out, c.pending);
    c.pending_bytes = 0;
    c.signalled = false;
    char drain[64];
    while (::read(c.pipe_r, drain, sizeof drain) > 0) {
    }
  }
  if (c.any_paused.exchange(false)) {
    net::post(c.io, [&c] {
      auto sessions = std::move(c.paused);
      c.paused.clear();
      for (auto& s : sessions) s->resume();
    });
  }
}

}  // namespace trendtop
