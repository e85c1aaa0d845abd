// Url: a --connect URL (ws://, wss://, http://, https://), parsed once on the command line. Only what a
// streaming client needs: the scheme, the host (an IPv6 literal without its brackets), the port (80/443 by
// default) and the request target (path and query, "/" at least; a #fragment is dropped).
//
// Secrets never reach the screen: text() is what messages, --stats and the state file show, with any
// user:password@ and the values of query parameters that look like credentials (access_token=, token=,
// key=, password=, ...) replaced by "***". Headers (-H) are never printed at all.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trendtop {

struct Url {
  enum class Scheme { Ws, Wss, Http, Https };
  Scheme scheme = Scheme::Http;
  std::string host;      // "example.com", "127.0.0.1", "::1"
  uint16_t port = 0;     // as given, or the scheme's default
  std::string target;    // "/subscribe?wantedCollections=app.bsky.feed.post"
  std::string userinfo;  // "user:password" before the host (sent as Basic authorization), usually empty

  bool tls() const { return scheme == Scheme::Wss || scheme == Scheme::Https; }
  bool websocket() const { return scheme == Scheme::Ws || scheme == Scheme::Wss; }
  const char* scheme_name() const;
  uint16_t default_port() const { return tls() ? 443 : 80; }
  // The Host header: "example.com", "example.com:8080", "[::1]:8080".
  std::string host_header() const;
  // scheme://host[:port]target, secrets replaced by "***" (see above).
  std::string text() const;
  // The same place: scheme, host (case-insensitively) and port.
  bool same_origin(const Url& other) const;
};

// True when the text is meant as a URL ("scheme://..."), not HOST:PORT.
bool looks_like_url(std::string_view text);

// Parses an absolute ws/wss/http/https URL; nullopt with a one-line reason.
std::optional<Url> parse_url(std::string_view text, std::string& error);

// The target with query parameter `name` set to `value` (replacing every earlier one of that name).
std::string with_query_param(std::string_view target, std::string_view name, std::string_view value);
// The target without query parameter `name`.
std::string without_query_param(std::string_view target, std::string_view name);

// Where a redirect's Location leads from `base`: absolute, scheme-relative (//host/...), absolute-path or
// relative. A WebSocket URL stays a WebSocket URL (http -> ws, https -> wss). nullopt with a reason.
std::optional<Url> resolve_location(const Url& base, std::string_view location, std::string& error);

// Standard base64 (RFC 4648, with padding), for user:password in a URL.
std::string base64(std::string_view bytes);

}  // namespace trendtop
