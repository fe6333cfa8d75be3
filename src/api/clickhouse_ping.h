// Checking that a ClickHouse server answers: `SELECT 1` over its HTTP
// interface, for POST /api/connections/test.
//
// ParseClickHouseUrl accepts only absolute http:// and https:// URLs with a
// host, an optional port (default 8123 for http, 8443 for https) and an
// optional path; credentials in the URL ("user@host") are refused, they go in
// username/password.
//
// PingClickHouse runs `SELECT 1` with clickhouse::Client (Boost.Beast;
// OpenSSL for https), which promises to return within `timeout` plus a few
// milliseconds, whatever the peer does: the deadline covers name resolution,
// connect, the TLS handshake, the request and the whole response. Name
// resolution runs on a detached thread (getaddrinfo cannot be cancelled), so
// a stuck resolver costs a parked thread, never the caller's time. With https
// the server certificate is verified against the system's trust store and
// the URL's host name unless `verify_certificate` is false. The credentials
// go as HTTP basic authentication (what every ClickHouse version accepts).
// OK means the server answered 200 with the body "1"; otherwise the Status
// message says what failed (never containing the password).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "clickhouse/http_client.h"
#include "common/status.h"

namespace otelstack::api {

// The URL type and parser are the ClickHouse client's (clickhouse/http_client.h).
using clickhouse::ClickHouseUrl;
using clickhouse::ParseClickHouseUrl;

struct PingOptions {
  std::string username;  // empty: no Authorization header (the server's default user)
  std::string password;
  std::chrono::milliseconds timeout{2000};
  bool verify_certificate = true;
};

Status PingClickHouse(const ClickHouseUrl& url, const PingOptions& options);

}  // namespace otelstack::api
