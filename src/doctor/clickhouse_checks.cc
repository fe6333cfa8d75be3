#include "doctor/clickhouse_checks.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <charconv>
#include <map>

namespace otelstack::doctor {

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr int kUnknownSetting = 115;
constexpr int kReadonly = 164;
constexpr int kDatabaseAccessDenied = 291;
constexpr int kUnknownDatabase = 81;
constexpr uint64_t kGuideMinRowsToRead = 1'000'000;

class NetworkProbe : public ClickHouseProbe {
 public:
  explicit NetworkProbe(std::chrono::milliseconds timeout) : timeout_(timeout) {}

  Status Query(const clickhouse::ConnectionOptions& connection, std::string_view sql,
               const clickhouse::Settings& settings, std::string* out) override {
    clickhouse::ConnectionOptions options = connection;
    options.timeout = timeout_;
    return clickhouse::Client(options).Query(sql, settings, out, nullptr, 1u << 20);
  }

  bool TcpReachable(const std::string& host, uint16_t port) override {
    asio::io_context ioc;
    tcp::resolver resolver(ioc);
    tcp::socket socket(ioc);
    bool connected = false;
    resolver.async_resolve(host, std::to_string(port), [&](boost::system::error_code ec, auto results) {
      if (ec) return;
      asio::async_connect(socket, results,
                          [&](boost::system::error_code ec, const tcp::endpoint&) { connected = !ec; });
    });
    ioc.run_for(timeout_);
    if (!ioc.stopped()) {
      resolver.cancel();
      boost::system::error_code ignored;
      socket.close(ignored);
      ioc.run_for(std::chrono::milliseconds(100));
    }
    return connected;
  }

 private:
  std::chrono::milliseconds timeout_;
};

std::string Trim(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  return std::string(text);
}

std::string UserName(const clickhouse::ConnectionOptions& c) { return c.user.empty() ? "default" : c.user; }

std::string Join(const std::vector<std::string>& parts, const std::string& sep = ", ") {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

std::string Quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

struct Context {
  const server::ClickHouseStorageOptions& ch;
  ClickHouseProbe* probe;
  bool query_connects = false;
  bool ingest_connects = false;
  clickhouse::ServerFeatures features;
  bool version_known = false;
};

CheckResult Users(const PolicyByRule& policy, const server::ClickHouseStorageOptions& ch) {
  constexpr char kTitle[] = "ClickHouse users";
  if (!policy.clickhouse.empty()) {
    std::vector<std::string> problems;
    for (const auto& v : policy.clickhouse) problems.push_back(v.problem);
    return Fail("clickhouse.users", kTitle, Join(problems, "; "), policy.clickhouse.front().fix);
  }
  return Pass("clickhouse.users", kTitle,
              "ingestion user " + UserName(ch.connection) + ", query user " + UserName(ch.query_connection) +
                  ", both with passwords");
}

CheckResult Connection(Context* c) {
  constexpr char kTitle[] = "ClickHouse connection";
  std::string version;
  Status query = c->probe->Query(c->ch.query_connection, "SELECT version()", {}, &version);
  c->query_connects = query.ok();
  Status ingest = c->probe->Query(c->ch.connection, "SELECT 1", {}, nullptr);
  c->ingest_connects = ingest.ok();
  const std::string url = clickhouse::UrlToString(c->ch.connection.url);
  std::vector<std::string> problems;
  if (!query.ok()) problems.push_back("query user " + UserName(c->ch.query_connection) + ": " + query.message());
  if (!ingest.ok()) problems.push_back("ingestion user " + UserName(c->ch.connection) + ": " + ingest.message());
  if (!problems.empty()) {
    return Fail("clickhouse.connection", kTitle, url + ": " + Join(problems, "; "),
                "check --clickhouse-url, the users (`otelstack clickhouse init`) and "
                "OTELSTACK_CLICKHOUSE_PASSWORD[_FILE] / OTELSTACK_CLICKHOUSE_QUERY_PASSWORD[_FILE]");
  }
  auto parsed = clickhouse::ServerVersion::Parse(Trim(version));
  if (parsed.ok()) {
    c->features = clickhouse::FeaturesOf(*parsed);
    c->version_known = true;
  }
  return Pass("clickhouse.connection", kTitle, url + ": ClickHouse " + Trim(version) + ", both users connect");
}

// The query user's current values of `names`, from system.settings.
std::map<std::string, std::string> CurrentSettings(Context* c, const std::vector<std::string>& names, Status* error) {
  std::vector<std::string> quoted;
  for (const std::string& n : names) quoted.push_back(Quote(n));
  std::string body;
  *error = c->probe->Query(c->ch.query_connection,
                           "SELECT name, value FROM system.settings WHERE name IN (" + Join(quoted) + ")", {}, &body);
  std::map<std::string, std::string> out;
  if (!error->ok()) return out;
  for (const auto& row : clickhouse::SplitTabSeparated(body)) {
    if (row.size() >= 2) out[std::string(row[0])] = std::string(row[1]);
  }
  return out;
}

CheckResult Readonly(Context* c) {
  constexpr char kTitle[] = "ClickHouse query user is readonly";
  if (!c->query_connects) return Skip("clickhouse.readonly", kTitle, "the query user cannot connect");
  Status error;
  auto values = CurrentSettings(c, {"readonly"}, &error);
  if (!error.ok()) {
    return Warn("clickhouse.readonly", kTitle, "cannot read system.settings: " + error.message(),
                "check the query user's access to system.settings");
  }
  const std::string user = UserName(c->ch.query_connection);
  const std::string value = values.count("readonly") ? values["readonly"] : "?";
  const bool same_user = c->ch.query_connection.user == c->ch.connection.user;
  const std::string fix =
      "create a readonly query user with `otelstack clickhouse init` (a profile with readonly = 1) and set "
      "--clickhouse-query-user";
  if (value == "1") return Pass("clickhouse.readonly", kTitle, user + " has readonly = 1");
  if (value == "2") {
    return Fail("clickhouse.readonly", kTitle,
                user +
                    " has readonly = 2: it may change any setting, including lifting max_rows_to_read and "
                    "max_execution_time",
                "use readonly = 1 (with CHANGEABLE_IN_READONLY constraints on 22.9+); " + fix);
  }
  return Fail("clickhouse.readonly", kTitle,
              user + " has readonly = " + value + ": API queries run as a user that can write" +
                  (same_user ? " (no --clickhouse-query-user: queries use the ingestion user)" : ""),
              fix);
}

struct SettingProbe {
  std::string name;
  std::string value;
  bool url_parameter_only = false;  // wait_end_of_query: an HTTP handler parameter
};

CheckResult QuerySettings(Context* c) {
  constexpr char kTitle[] = "ClickHouse query user's settings";
  if (!c->query_connects) return Skip("clickhouse.query_settings", kTitle, "the query user cannot connect");
  const std::vector<SettingProbe> probes = {
      {"max_rows_to_read", std::to_string(kGuideMinRowsToRead)},
      {"read_overflow_mode", "break"},
      {"cancel_http_readonly_queries_on_client_close", "1"},
      {"wait_end_of_query", "1", true},
  };
  std::vector<std::string> accepted, refused, unknown, other;
  std::string refusal;
  for (const SettingProbe& p : probes) {
    Status s = c->probe->Query(c->ch.query_connection, "SELECT 1", {{p.name, p.value}}, nullptr);
    const int code = clickhouse::ExceptionCode(s);
    if (s.ok()) {
      accepted.push_back(p.name);
    } else if (code == kReadonly) {
      refused.push_back(p.name);
      if (refusal.empty()) refusal = s.message();
    } else if (code == kUnknownSetting) {
      unknown.push_back(p.name);
    } else {
      other.push_back(p.name + " (" + s.message() + ")");
    }
  }
  Status error;
  auto current = CurrentSettings(c, {"max_rows_to_read", "read_overflow_mode", "max_execution_time"}, &error);
  std::string profile;
  for (const auto& [name, value] : current) profile += (profile.empty() ? "" : ", ") + name + " = " + value;
  std::string detail = "accepted: " + (accepted.empty() ? std::string("none") : Join(accepted));
  if (!refused.empty()) detail += "; refused: " + Join(refused) + " (" + refusal + ")";
  if (!unknown.empty()) detail += "; unknown to this server: " + Join(unknown);
  if (!other.empty()) detail += "; errors: " + Join(other, "; ");
  if (!profile.empty()) detail += "; the user's current values: " + profile;
  const std::string version = c->version_known ? c->features.version.ToString() : "unknown";

  uint64_t rows = 0;
  const std::string rows_text = current.count("max_rows_to_read") ? current["max_rows_to_read"] : "";
  std::from_chars(rows_text.data(), rows_text.data() + rows_text.size(), rows);
  const bool changeable_in_readonly = c->version_known && c->features.version.AtLeast(22, 9);
  if (!refused.empty()) {
    if (changeable_in_readonly || !c->version_known) {
      return Fail("clickhouse.query_settings", kTitle, detail,
                  "give the query user's profile CHANGEABLE_IN_READONLY constraints for these settings (with MIN/MAX "
                  "bounds; `otelstack clickhouse init` does) and enable access_control_improvements."
                  "settings_constraints_replace_previous; do not use readonly = 2, which would let it lift every "
                  "limit");
    }
    return Warn("clickhouse.query_settings", kTitle,
                detail + ". ClickHouse " + version +
                    " has no CHANGEABLE_IN_READONLY (22.9+): a readonly = 1 user cannot change them, so otelstack "
                    "runs queries with the profile's limits instead of the team's query settings",
                rows > 0 && rows < kGuideMinRowsToRead
                    ? "raise the profile's max_rows_to_read to at least 1000000"
                    : "keep the limits in the query user's profile (users.d/otelstack.xml from `otelstack "
                      "clickhouse init`); upgrade ClickHouse to let teams tune them");
  }
  if (!other.empty()) {
    return Warn("clickhouse.query_settings", kTitle, detail, "see ClickHouse's answer above");
  }
  if (rows > 0 && rows < kGuideMinRowsToRead) {
    return Warn("clickhouse.query_settings", kTitle, detail + "; max_rows_to_read is below 1 million",
                "raise the profile's max_rows_to_read to at least 1000000");
  }
  return Pass("clickhouse.query_settings", kTitle, detail);
}

CheckResult IngestScope(Context* c) {
  constexpr char kTitle[] = "ClickHouse ingestion user's scope";
  const std::string& db = c->ch.connection.database;
  const std::string user = UserName(c->ch.connection);
  if (!c->ingest_connects) return Skip("clickhouse.ingest_scope", kTitle, "the ingestion user cannot connect");
  if (!c->version_known) return Skip("clickhouse.ingest_scope", kTitle, "the server's version is unknown");
  const std::string fix = "create the ingestion user with `otelstack clickhouse init` (rights on " + db + " only)";
  if (c->features.sql_users) {
    std::string body;
    Status s = c->probe->Query(c->ch.connection, "SHOW GRANTS", {}, &body);
    if (!s.ok()) {
      return Warn("clickhouse.ingest_scope", kTitle, "SHOW GRANTS as " + user + " failed: " + s.message(),
                  "check the ingestion user's grants by hand");
    }
    std::vector<std::string> wide, all;
    for (const auto& row : clickhouse::SplitTabSeparated(body)) {
      std::string grant(row.empty() ? std::string_view() : row[0]);
      all.push_back(grant);
      const bool on_db = grant.find(" ON " + db + ".") != std::string::npos;
      if (grant.rfind("GRANT ", 0) == 0 && grant.find(" ON ") != std::string::npos && !on_db) wide.push_back(grant);
    }
    if (!wide.empty()) {
      return Fail("clickhouse.ingest_scope", kTitle, user + " has grants beyond " + db + ": " + Join(wide, "; "), fix);
    }
    return Pass("clickhouse.ingest_scope", kTitle,
                user + "'s grants are on " + db + " only" + (all.empty() ? "" : ": " + Join(all, "; ")));
  }
  // No grants before 20.5: <allow_databases> is the only confinement. Find a
  // database other than `db` and system (readable by every user) and try it.
  std::string body;
  Status s = c->probe->Query(
      c->ch.connection, "SELECT name FROM system.databases WHERE name NOT IN (" + Quote(db) + ", 'system')", {}, &body);
  if (!s.ok()) {
    return Warn("clickhouse.ingest_scope", kTitle, "cannot list databases as " + user + ": " + s.message(),
                "check <allow_databases> in the ingestion user's users.xml entry");
  }
  // `default` exists on most servers even when the listing hides it.
  std::vector<std::string> candidates;
  for (const auto& row : clickhouse::SplitTabSeparated(body)) {
    if (!row.empty()) candidates.emplace_back(row[0]);
  }
  if (db != "default" && std::find(candidates.begin(), candidates.end(), "default") == candidates.end()) {
    candidates.push_back("default");
  }
  // SHOW TABLES reads system.tables, which every user may: it proves nothing.
  // Making the database current (the `database` parameter) is checked
  // against <allow_databases> on every version.
  for (const std::string& other : candidates) {
    clickhouse::ConnectionOptions in_other = c->ch.connection;
    in_other.database = other;
    s = c->probe->Query(in_other, "SELECT 1", {}, nullptr);
    const int code = clickhouse::ExceptionCode(s);
    if (code == kUnknownDatabase) continue;
    if (code == kDatabaseAccessDenied) {
      return Pass("clickhouse.ingest_scope", kTitle,
                  user + " is refused database " + other + " (allow_databases); ClickHouse " +
                      c->features.version.ToString() + " has no grants, so inside " + db +
                      " it may also DROP and ALTER tables");
    }
    if (s.ok()) {
      return Fail("clickhouse.ingest_scope", kTitle, user + " can read database " + other + ", not only " + db,
                  "add <allow_databases><database>" + db + "</database></allow_databases> to its users.xml entry " +
                      "(`otelstack clickhouse init` prints it)");
    }
    return Warn("clickhouse.ingest_scope", kTitle,
                "cannot be verified: SELECT 1 in database " + other + " as " + user + " failed with: " + s.message(),
                "check <allow_databases> in the ingestion user's users.xml entry");
  }
  return Warn("clickhouse.ingest_scope", kTitle,
              "cannot be verified on ClickHouse " + c->features.version.ToString() + ": no database besides " + db +
                  " and system to try",
              "make sure the ingestion user's users.xml entry has <allow_databases><database>" + db +
                  "</database></allow_databases>");
}

CheckResult DefaultUser(Context* c) {
  constexpr char kTitle[] = "ClickHouse default user protected";
  clickhouse::ConnectionOptions as_default = c->ch.connection;
  as_default.user = "default";
  as_default.password.clear();
  as_default.database.clear();
  Status s = c->probe->Query(as_default, "SELECT 1", {}, nullptr);
  if (s.ok()) {
    return Fail("clickhouse.default_user", kTitle,
                "the `default` user connects without a password from this machine: anyone who reaches ClickHouse "
                "is an administrator",
                "set a strong password for `default` (users.xml <password_sha256_hex>, or ALTER USER default), or "
                "restrict its <networks> to loopback and remove it from remote access");
  }
  if (s.code() == Status::Code::kPermissionDenied || s.code() == Status::Code::kUnauthenticated) {
    return Pass("clickhouse.default_user", kTitle, "`default` without a password is refused (" + s.message() + ")");
  }
  return Warn("clickhouse.default_user", kTitle, "could not tell: " + s.message(),
              "check by hand that `default` requires a password");
}

CheckResult Tls(const server::ClickHouseStorageOptions& ch) {
  constexpr char kTitle[] = "TLS to ClickHouse";
  const auto& url = ch.connection.url;
  if (url.https) {
    return Pass("clickhouse.tls", kTitle,
                "https, certificate verified against " +
                    (ch.connection.ca_file.empty() ? std::string("the system trust store") : ch.connection.ca_file));
  }
  if (server::IsLoopbackHost(url.host)) {
    return Pass("clickhouse.tls", kTitle, "plain http to " + url.host + " (loopback: nothing crosses a network)");
  }
  return Fail("clickhouse.tls", kTitle,
              "plain http to " + url.host + ": passwords and telemetry cross the network in clear",
              "enable ClickHouse's https_port (8443) with a certificate and use --clickhouse-url https://" + url.host +
                  ":8443 (--clickhouse-ca-file for a private CA)");
}

CheckResult Exposure(Context* c) {
  constexpr char kTitle[] = "ClickHouse ports reachable";
  const auto& url = c->ch.connection.url;
  if (server::IsLoopbackHost(url.host)) {
    return Pass("clickhouse.exposure", kTitle,
                "ClickHouse is on this host (" + url.host + "): keep its listen_host on loopback");
  }
  struct Port {
    uint16_t port;
    const char* what;
  };
  const Port ports[] = {{9000, "native"}, {9440, "native TLS"}, {9009, "interserver"}, {8123, "HTTP"}, {8443, "HTTPS"}};
  std::vector<std::string> reachable;
  for (const Port& p : ports) {
    if (p.port == url.port) continue;  // the one otelstack uses
    if (c->probe->TcpReachable(url.host, p.port)) reachable.push_back(std::to_string(p.port) + " (" + p.what + ")");
  }
  const std::string viewpoint = "checked from the machine doctor runs on, which says nothing about the internet";
  if (!reachable.empty()) {
    return Warn("clickhouse.exposure", kTitle,
                url.host + " also accepts connections on " + Join(reachable) + " besides " + std::to_string(url.port) +
                    " (" + viewpoint + ")",
                "keep ClickHouse on an internal network: firewall every port but the one otelstack uses, and "
                "never publish 9000/9009");
  }
  return Pass("clickhouse.exposure", kTitle,
              "only port " + std::to_string(url.port) + " of " + url.host + " is reachable (" + viewpoint + ")");
}

}  // namespace

std::unique_ptr<ClickHouseProbe> NewNetworkClickHouseProbe(std::chrono::milliseconds timeout) {
  return std::make_unique<NetworkProbe>(timeout);
}

std::vector<CheckResult> CheckClickHouse(const server::ServerOptions& options, const PolicyByRule& policy,
                                         ClickHouseProbe* probe) {
  static const char* kIds[][2] = {
      {"clickhouse.users", "ClickHouse users"},
      {"clickhouse.connection", "ClickHouse connection"},
      {"clickhouse.readonly", "ClickHouse query user is readonly"},
      {"clickhouse.query_settings", "ClickHouse query user's settings"},
      {"clickhouse.ingest_scope", "ClickHouse ingestion user's scope"},
      {"clickhouse.default_user", "ClickHouse default user protected"},
      {"clickhouse.tls", "TLS to ClickHouse"},
      {"clickhouse.exposure", "ClickHouse ports reachable"},
  };
  std::vector<CheckResult> out;
  if (!options.clickhouse) {
    for (const auto& [id, title] : kIds)
      out.push_back(Skip(id, title, "no ClickHouse configured (--storage embedded)"));
    return out;
  }
  Context c{.ch = *options.clickhouse, .probe = probe, .features = {}};
  out.push_back(Users(policy, c.ch));
  out.push_back(Connection(&c));
  out.push_back(Readonly(&c));
  out.push_back(QuerySettings(&c));
  out.push_back(IngestScope(&c));
  out.push_back(DefaultUser(&c));
  out.push_back(Tls(c.ch));
  out.push_back(Exposure(&c));
  return out;
}

}  // namespace otelstack::doctor
