// TCP endpoints and sockets for --listen and --connect (config.h holds the endpoints as plain values).
// Addresses are parsed up front (a bad one is a usage error); sockets are non-blocking and close-on-exec.
// IPv4 and IPv6 alike.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config.h"

namespace trendtop {

// "[HOST:]PORT" for --listen (HOST defaults to 127.0.0.1: listening on all interfaces must be asked for),
// "HOST:PORT" for --connect. IPv6 hosts in brackets: "[::]:9999". Returns an error message on failure.
std::optional<Endpoint> parse_endpoint(std::string_view text, bool host_required, std::string& error);

// True when the host resolves (a --listen address is checked before anything runs).
bool resolvable(const Endpoint& ep, std::string& error);

// A listening socket bound to the endpoint (SO_REUSEADDR; IPv6 sockets accept IPv6 only), or -1 with error.
int listen_on(const Endpoint& ep, std::string& error);
// Starts a non-blocking connect; -1 with error if it failed at once. Completion shows as writability.
int start_connect(const Endpoint& ep, std::string& error);
// After writability: 0 when connected, else the errno of the failed connect.
int connect_result(int fd);
// "address:port" of the peer of a connected socket.
std::string peer_name(int fd);

std::optional<Cidr> parse_cidr(std::string_view text, std::string& error);
// Whether the peer of a connected socket lies in the block (an IPv4 peer seen on an IPv6 socket as
// ::ffff:a.b.c.d matches IPv4 blocks).
bool peer_in(int fd, const Cidr& block);

}  // namespace trendtop
