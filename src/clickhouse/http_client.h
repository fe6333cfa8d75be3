// A blocking client for ClickHouse's HTTP interface (every version from 18.16
// on; ClickHouse Cloud on https://...:8443).
//
// One request per call, each on a fresh connection (no pooling: requests are
// per flushed batch or per query, and a fresh connection never carries a
// half-read response over). Every call promises to return within
// `options.timeout` plus a few milliseconds whatever the peer does: the
// deadline covers name resolution (run on a detached thread, since
// getaddrinfo cannot be cancelled), connect, the TLS handshake, sending the
// request and reading the whole response. A set `cancel` flag (polled at
// least every 50 ms) closes the connection and returns Cancelled; ClickHouse
// then cancels a readonly query when `cancel_http_readonly_queries_on_client_close`
// is set.
//
// Credentials go as HTTP basic authentication when a user is set (what every
// ClickHouse version accepts); the password
// never appears in a URL, a log line or a Status message. With https the
// server certificate is verified against `ca_file` (PEM) when set, else the
// system trust store, and against the URL's host name unless
// `verify_certificate` is false.
//
// Errors:
//   InvalidArgument  bad URL or options (ParseClickHouseUrl)
//   Unavailable      could not resolve/connect/handshake, connection lost,
//                    deadline passed, HTTP 502/503/504: the outcome of a write
//                    is unknown; retrying may help
//   Cancelled        the cancel flag was set
//   other            ClickHouse answered with an exception: the Status
//                    message is "ClickHouse error <code>: <first line of the
//                    exception>", and ExceptionCode() returns the code
//                    (e.g. 60 UNKNOWN_TABLE, 81 UNKNOWN_DATABASE, 158
//                    TOO_MANY_ROWS, 159 TIMEOUT_EXCEEDED, 164 READONLY,
//                    192 UNKNOWN_USER, 193 WRONG_PASSWORD, 497 ACCESS_DENIED).
//                    Codes 158/159/307 (limits) map to ResourceExhausted,
//                    164/497/192/193/516 to PermissionDenied, 62 (syntax)/
//                    47 (unknown identifier)/43/53 (types) to InvalidArgument,
//                    the rest to Internal.
//                    The code comes from the X-ClickHouse-Exception-Code header
//                    when present (newer servers), else from the body: "Code:
//                    60, e.displayText() = DB::Exception: ..." (18.x) or
//                    "Code: 60. DB::Exception: ..." (newer). A non-200 answer
//                    that is not a ClickHouse exception (a proxy's page) is
//                    "HTTP <status> from host:port: <excerpt>": Unavailable for
//                    502/503/504, PermissionDenied for 401/403, else Internal.
//   ResourceExhausted also when the response body exceeds the bound.
//
// An exception raised after the server has started streaming a 200 answer
// is appended to the body and cannot be told from data: queries whose errors
// matter send `wait_end_of_query=1` (every version: on 18.16 it is an HTTP
// handler parameter, not a setting, so even a readonly=1 user may send it),
// which makes the server buffer the result and answer with a proper error.
//
// gzip request bodies (Insert with compress): checked on 18.16.1, which
// inflates a body sent with `Content-Encoding: gzip` (or deflate) without any
// URL parameter; `enable_http_compression` only governs *response*
// compression and is a setting (refused for readonly=1 users on 18.16), so
// the client never sends it. Responses are never compressed.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace otelstack::clickhouse {

struct ClickHouseUrl {
  bool https = false;
  std::string host;  // without brackets for IPv6 literals
  uint16_t port = 0;
  std::string path;  // starts with '/', at least "/"
};

// Accepts only absolute http:// and https:// URLs with a host, an optional
// port (default 8123 for http, 8443 for https) and an optional path;
// credentials in the URL ("user@host") are refused: they go in the options.
// InvalidArgument ("url: ...") otherwise.
StatusOr<ClickHouseUrl> ParseClickHouseUrl(std::string_view url);
// "http://host:port/path" (IPv6 hosts in brackets): for messages and logs.
std::string UrlToString(const ClickHouseUrl& url);

struct ConnectionOptions {
  ClickHouseUrl url;
  std::string user;  // empty: no credentials (the server's `default` user)
  std::string password;
  std::string database;  // sent as the `database` parameter when not empty
  std::chrono::milliseconds timeout{30'000};
  std::string ca_file;  // https only: PEM file of trusted CAs
  bool verify_certificate = true;
};

// ClickHouse settings sent as URL parameters, in order, e.g.
// {"max_rows_to_read", "1000000"}. Names must be [A-Za-z0-9_]; values are
// percent-encoded by the client.
using Settings = std::vector<std::pair<std::string, std::string>>;

// The non-empty lines of a TabSeparated answer, split into fields. Fields
// are returned as sent (no unescaping): for answers of numbers and plain
// identifiers.
std::vector<std::vector<std::string_view>> SplitTabSeparated(std::string_view body);

// The exception code in a Status returned for a ClickHouse exception, else 0.
int ExceptionCode(const Status& status);

class Client {
 public:
  explicit Client(ConnectionOptions options);

  const ConnectionOptions& options() const { return options_; }

  // Runs `sql` (sent as the POST body) and returns the response body in *out
  // (may be null). `max_response_bytes` bounds the body (ResourceExhausted
  // past it). `cancel`, when set during the call, closes the connection and
  // returns Cancelled within 50 ms. Settings and `database` go as URL
  // parameters; InvalidArgument for a setting name outside [A-Za-z0-9_].
  Status Query(std::string_view sql, const Settings& settings, std::string* out,
               const std::atomic<bool>* cancel = nullptr, size_t max_response_bytes = 256u << 20) const;

  // Runs `insert_sql` ("INSERT INTO db.t (cols) FORMAT RowBinary", sent as the
  // `query` URL parameter) with `data` as the POST body, gzip-compressed
  // (Content-Encoding: gzip, level 1) when `compress` is true.
  Status Insert(std::string_view insert_sql, std::string_view data, const Settings& settings,
                bool compress = true) const;

  // `SELECT version()`, e.g. "18.16.1" or "24.8.4.13".
  StatusOr<std::string> Version() const;

 private:
  ConnectionOptions options_;
};

// A parsed server version; compares numerically component by component.
struct ServerVersion {
  int major = 0, minor = 0, patch = 0;
  static StatusOr<ServerVersion> Parse(std::string_view text);  // "18.16.1", "24.8.4.13"
  bool AtLeast(int major_, int minor_ = 0) const { return major > major_ || (major == major_ && minor >= minor_); }
  std::string ToString() const;
};

// What a server supports, from its version. The cut-offs are the releases
// that introduced each feature.
struct ServerFeatures {
  ServerVersion version;
  bool map_type = false;          // Map(K, V): 21.1 (experimental before)
  bool datetime64 = false;        // DateTime64(9): 20.1
  bool codecs = false;            // column CODEC(...): 19.10
  bool skip_indexes = false;      // INDEX ... TYPE bloom_filter/tokenbf_v1 without experimental flags: 20.1
  bool ttl = false;               // TTL with ttl_only_drop_parts: 20.1 (TTL 19.6)
  bool sql_users = false;         // CREATE USER / GRANT / SETTINGS PROFILE: 20.5
  bool low_cardinality = false;   // LowCardinality(String): 19.1
  bool cancel_on_close = false;   // cancel_http_readonly_queries_on_client_close: 19.1
  bool wait_end_of_query = true;  // every supported version
  // True when the OTel exporter's schema (Map, DateTime64, codecs, indexes,
  // TTL) can be created: the "modern" layout.
  bool modern_schema() const { return map_type && datetime64 && codecs && skip_indexes && ttl; }
};
ServerFeatures FeaturesOf(const ServerVersion& version);

}  // namespace otelstack::clickhouse
