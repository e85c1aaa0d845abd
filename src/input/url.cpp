#include "input/url.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace trendtop {

namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

bool control_or_space(char c) {
  return static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
}

// Query parameters whose values are credentials: their names contain one of these (case-insensitively).
bool secret_name(std::string_view name) {
  std::string n;
  for (char c : name) n.push_back(lower(c));
  for (std::string_view word : {"token", "key", "pass", "secret", "auth", "sig", "credential", "session"})
    if (n.find(word) != std::string::npos) return true;
  return false;
}

// Calls f(name, whole parameter) for each parameter of a query ("a=1&b" -> ("a", "a=1"), ("b", "b")).
template <class F>
void each_param(std::string_view query, F f) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view param = query.substr(0, amp);
    f(param.substr(0, param.find('=')), param);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
}

}  // namespace

const char* Url::scheme_name() const {
  switch (scheme) {
    case Scheme::Ws:
      return "ws";
    case Scheme::Wss:
      return "wss";
    case Scheme::Http:
      return "http";
    case Scheme::Https:
      return "https";
  }
  return "http";
}

std::string Url::host_header() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != default_port()) h += ":" + std::to_string(port);
  return h;
}

std::string Url::text() const {
  std::string out = fmt::format("{}://{}{}", scheme_name(), userinfo.empty() ? "" : "***@", host_header());
  size_t q = target.find('?');
  out += target.substr(0, q);
  if (q == std::string::npos) return out;
  char sep = '?';
  each_param(std::string_view(target).substr(q + 1), [&](std::string_view name, std::string_view param) {
    out.push_back(sep);
    sep = '&';
    if (secret_name(name) && param.size() > name.size()) {
      out.append(name);
      out.append("=***");
    } else {
      out.append(param);
    }
  });
  return out;
}

bool Url::same_origin(const Url& other) const {
  return scheme == other.scheme && port == other.port && iequals(host, other.host);
}

bool looks_like_url(std::string_view text) {
  size_t sep = text.find("://");
  if (sep == std::string_view::npos || sep == 0) return false;
  return std::all_of(text.begin(), text.begin() + static_cast<long>(sep), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '-' || c == '.';
  });
}

std::optional<Url> parse_url(std::string_view text, std::string& error) {
  auto fail = [&](std::string_view why) -> std::optional<Url> {
    error = fmt::format("'{}': {}", text, why);
    return std::nullopt;
  };
  if (std::any_of(text.begin(), text.end(), control_or_space))
    return fail("spaces and control characters must be percent-encoded (%20)");
  size_t sep = text.find("://");
  if (sep == std::string_view::npos) return fail("not a URL (scheme://host/path)");
  std::string_view scheme = text.substr(0, sep);
  Url url;
  if (iequals(scheme, "ws")) {
    url.scheme = Url::Scheme::Ws;
  } else if (iequals(scheme, "wss")) {
    url.scheme = Url::Scheme::Wss;
  } else if (iequals(scheme, "http")) {
    url.scheme = Url::Scheme::Http;
  } else if (iequals(scheme, "https")) {
    url.scheme = Url::Scheme::Https;
  } else {
    return fail("the scheme must be ws, wss, http or https");
  }
  std::string_view rest = text.substr(sep + 3);
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  std::string_view tail = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    url.userinfo = std::string(authority.substr(0, at));
    authority.remove_prefix(at + 1);
  }
  std::string_view port;
  bool has_port = false;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return fail("an IPv6 address needs its closing ']'");
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after[0] != ':') return fail("junk after the IPv6 address");
    has_port = !after.empty();
    if (has_port) port = after.substr(1);
    if (url.host.empty() || url.host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string::npos)
      return fail("not an IPv6 address in brackets");
  } else {
    size_t colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    has_port = colon != std::string_view::npos;
    if (has_port) port = authority.substr(colon + 1);
    if (url.host.find_first_of("[]") != std::string::npos) return fail("write IPv6 addresses in brackets");
  }
  if (url.host.empty()) return fail("no host");
  url.port = url.default_port();
  if (has_port) {
    unsigned value = 0;
    bool ok = !port.empty() && port.size() <= 5;
    for (char c : port) ok = ok && c >= '0' && c <= '9' && (value = value * 10 + unsigned(c - '0'), true);
    if (!ok || value == 0 || value > 65535) return fail("the port must be a number from 1 to 65535");
    url.port = static_cast<uint16_t>(value);
  }
  tail = tail.substr(0, tail.find('#'));
  url.target = tail.empty() || tail[0] != '/' ? "/" + std::string(tail) : std::string(tail);
  return url;
}

std::string with_query_param(std::string_view target, std::string_view name, std::string_view value) {
  std::string out = without_query_param(target, name);
  out += out.find('?') == std::string::npos ? '?' : '&';
  out.append(name);
  out += '=';
  out.append(value);
  return out;
}

std::string without_query_param(std::string_view target, std::string_view name) {
  size_t q = target.find('?');
  std::string out(target.substr(0, q));
  if (q == std::string_view::npos) return out;
  char sep = '?';
  each_param(target.substr(q + 1), [&](std::string_view n, std::string_view param) {
    if (n == name || param.empty()) return;
    out.push_back(sep);
    sep = '&';
    out.append(param);
  });
  return out;
}

std::optional<Url> resolve_location(const Url& base, std::string_view location, std::string& error) {
  while (!location.empty() && (location.front() == ' ' || location.front() == '\t'))
    location.remove_prefix(1);
  while (!location.empty() && (location.back() == ' ' || location.back() == '\t')) location.remove_suffix(1);
  if (location.empty()) {
    error = "a redirect without a Location";
    return std::nullopt;
  }
  std::optional<Url> url;
  if (looks_like_url(location)) {
    url = parse_url(location, error);
  } else if (location.substr(0, 2) == "//") {
    url = parse_url(std::string(base.scheme_name()) + ":" + std::string(location), error);
  } else {
    Url u = base;
    u.target = std::string(location.substr(0, location.find('#')));
    if (u.target.empty() || u.target[0] != '/') {  // relative to the base's directory
      std::string_view path = std::string_view(base.target).substr(0, base.target.find('?'));
      u.target = std::string(path.substr(0, path.rfind('/') + 1)) + u.target;
    }
    if (std::any_of(u.target.begin(), u.target.end(), control_or_space)) {
      error = "a redirect to a Location with spaces or control characters";
      return std::nullopt;
    }
    url = u;
  }
  if (!url) return url;
  if (base.websocket() && !url->websocket())
    url->scheme = url->tls() ? Url::Scheme::Wss : Url::Scheme::Ws;  // ports stay as the Location says
  else if (!base.websocket() && url->websocket())
    url->scheme = url->tls() ? Url::Scheme::Https : Url::Scheme::Http;
  return url;
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v =
        uint32_t(uint8_t(bytes[i])) << 16 | uint32_t(uint8_t(bytes[i + 1])) << 8 | uint8_t(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(v >> s) & 63]);
  }
  if (size_t left = bytes.size() - i; left > 0) {
    uint32_t v = uint32_t(uint8_t(bytes[i])) << 16 | (left == 2 ? uint32_t(uint8_t(bytes[i + 1])) << 8 : 0);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(left == 2 ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

}  // namespace trendtop
