#include "api/clickhouse_ping.h"

#include "clickhouse/http_client.h"

namespace otelstack::api {

// Answers to `SELECT 1` are two bytes; anything much larger is not ClickHouse.
constexpr size_t kMaxPingAnswerBytes = 64 * 1024;

Status PingClickHouse(const ClickHouseUrl& url, const PingOptions& options) {
  clickhouse::ConnectionOptions connection;
  connection.url = url;
  connection.user = options.username;
  connection.password = options.password;
  connection.timeout = options.timeout;
  connection.verify_certificate = options.verify_certificate;
  std::string answer;
  Status status =
      clickhouse::Client(std::move(connection)).Query("SELECT 1", {}, &answer, nullptr, kMaxPingAnswerBytes);
  if (!status.ok()) return status;
  std::string_view trimmed = answer;
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r' || trimmed.back() == ' ')) {
    trimmed.remove_suffix(1);
  }
  if (trimmed != "1") return Status::Unavailable("unexpected answer to SELECT 1: " + answer.substr(0, 300));
  return Status::OK();
}

}  // namespace otelstack::api
