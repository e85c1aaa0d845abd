#include "input/net.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace trendtop {

std::optional<Endpoint> parse_endpoint(std::string_view text, bool host_required, std::string& error) {
  Endpoint ep;
  std::string_view port;
  if (!text.empty() && text[0] == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      error = fmt::format("'{}' is not [HOST]:PORT", text);
      return std::nullopt;
    }
    ep.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else if (size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    ep.host = std::string(text.substr(0, colon));
    if (ep.host.find(':') != std::string::npos) {
      error = fmt::format("'{}': write IPv6 addresses in brackets, as [::1]:9999", text);
      return std::nullopt;
    }
    port = text.substr(colon + 1);
  } else {
    port = text;
  }
  if (ep.host.empty()) {
    if (host_required) {
      error = fmt::format("'{}' is not HOST:PORT", text);
      return std::nullopt;
    }
    ep.host = "127.0.0.1";
  }
  unsigned value = 0;
  bool ok = !port.empty() && port.size() <= 5;
  for (char c : port) ok = ok && c >= '0' && c <= '9' && (value = value * 10 + unsigned(c - '0'), true);
  if (!ok || value == 0 || value > 65535) {
    error = fmt::format("'{}': port must be a number from 1 to 65535", text);
    return std::nullopt;
  }
  ep.port = static_cast<uint16_t>(value);
  return ep;
}

namespace {

struct AddrInfo {
  addrinfo* list = nullptr;
  ~AddrInfo() {
    if (list) freeaddrinfo(list);
  }
};

bool resolve(const Endpoint& ep, bool passive, AddrInfo& out, std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = passive ? AI_PASSIVE : 0;
  std::string port = std::to_string(ep.port);
  int rc = getaddrinfo(ep.host.c_str(), port.c_str(), &hints, &out.list);
  if (rc != 0) {
    error = fmt::format("cannot resolve '{}': {}", ep.host, gai_strerror(rc));
    return false;
  }
  return true;
}

}  // namespace

bool resolvable(const Endpoint& ep, std::string& error) {
  AddrInfo ai;
  return resolve(ep, true, ai, error);
}

int listen_on(const Endpoint& ep, std::string& error) {
  AddrInfo ai;
  if (!resolve(ep, true, ai, error)) return -1;
  int last_errno = 0;
  for (addrinfo* a = ai.list; a; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      last_errno = errno;
      continue;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    // Dual stack: [::] takes IPv4 producers too (as ::ffff:a.b.c.d), whatever net.ipv6.bindv6only says.
    int zero = 0;
    if (a->ai_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, SOMAXCONN) == 0) return fd;
    last_errno = errno;
    close(fd);
  }
  error = fmt::format("cannot listen on {}: {}", ep.text(), std::strerror(last_errno));
  return -1;
}

int start_connect(const Endpoint& ep, std::string& error) {
  AddrInfo ai;
  if (!resolve(ep, false, ai, error)) return -1;
  int last_errno = 0;
  for (addrinfo* a = ai.list; a; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      last_errno = errno;
      continue;
    }
    if (connect(fd, a->ai_addr, a->ai_addrlen) == 0 || errno == EINPROGRESS) return fd;
    last_errno = errno;
    close(fd);
  }
  error = fmt::format("cannot connect to {}: {}", ep.text(), std::strerror(last_errno));
  return -1;
}

int connect_result(int fd) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
  return err;
}

std::string peer_name(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return "?";
  char host[INET6_ADDRSTRLEN] = "?";
  uint16_t port = 0;
  if (ss.ss_family == AF_INET) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &sin->sin_addr, host, sizeof host);
    port = ntohs(sin->sin_port);
    return fmt::format("{}:{}", host, port);
  }
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
  inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof host);
  return fmt::format("[{}]:{}", host, ntohs(sin6->sin6_port));
}

std::optional<Cidr> parse_cidr(std::string_view text, std::string& error) {
  Cidr c;
  c.text = std::string(text);
  std::string addr(text.substr(0, text.find('/')));
  c.v6 = addr.find(':') != std::string::npos;
  if (inet_pton(c.v6 ? AF_INET6 : AF_INET, addr.c_str(), c.bytes) != 1) {
    error = fmt::format("'{}' is not an address or address block (e.g. 10.0.0.0/8, ::1)", text);
    return std::nullopt;
  }
  int bits = c.v6 ? 128 : 32;
  c.prefix = bits;
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    std::string_view p = text.substr(slash + 1);
    int v = 0;
    bool ok = !p.empty() && p.size() <= 3;
    for (char ch : p) ok = ok && ch >= '0' && ch <= '9' && ((v = v * 10 + (ch - '0')), true);
    if (!ok || v > bits) {
      error = fmt::format("'{}': the prefix length must be 0 to {}", text, bits);
      return std::nullopt;
    }
    c.prefix = v;
  }
  return c;
}

bool peer_in(int fd, const Cidr& block) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return false;
  const uint8_t* a;
  bool v6 = ss.ss_family == AF_INET6;
  if (v6) {
    a = reinterpret_cast<sockaddr_in6*>(&ss)->sin6_addr.s6_addr;
    static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (!block.v6 && std::memcmp(a, kMapped, 12) == 0) {  // ::ffff:a.b.c.d against an IPv4 block
      a += 12;
      v6 = false;
    }
  } else {
    a = reinterpret_cast<const uint8_t*>(&reinterpret_cast<sockaddr_in*>(&ss)->sin_addr.s_addr);
  }
  if (v6 != block.v6) return false;
  int full = block.prefix / 8, rest = block.prefix % 8;
  if (std::memcmp(a, block.bytes, static_cast<size_t>(full)) != 0) return false;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[full] & mask) == (block.bytes[full] & mask);
}

}  // namespace trendtop
