#include "clickhouse/init.h"

#include <openssl/sha.h>

#include <cctype>

#include "common/file_util.h"

namespace otelstack::clickhouse {

namespace {

// CHANGEABLE_IN_READONLY constraints: ClickHouse 22.9.
bool HasChangeableInReadonly(const ServerFeatures& features) { return features.version.AtLeast(22, 9); }

Status CheckName(std::string_view what, std::string_view name) {
  bool ok = !name.empty() && name.size() <= 64 && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!ok) return Status::InvalidArgument(std::string(what) + ": must match [A-Za-z_][A-Za-z0-9_]{0,63}");
  return Status::OK();
}

// Network masks in users.xml: addresses, CIDR or "::/0"; no XML metacharacters.
Status CheckNetwork(std::string_view network) {
  bool ok = !network.empty() && network.size() <= 64;
  for (char c : network) ok = ok && (std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.' || c == '/');
  if (!ok) return Status::InvalidArgument("networks: '" + std::string(network) + "' is not an IP address or CIDR");
  return Status::OK();
}

std::string UserXml(const std::string& name, const std::string& password, const std::string& profile,
                    const InitOptions& options) {
  std::string xml = "    <" + name + ">\n      <password_sha256_hex>" + Sha256Hex(password) +
                    "</password_sha256_hex>\n      <networks>\n";
  for (const std::string& network : options.networks) xml += "        <ip>" + network + "</ip>\n";
  xml += "      </networks>\n      <profile>" + profile + "</profile>\n      <quota>default</quota>\n" +
         "      <allow_databases>\n        <database>" + options.database +
         "</database>\n      </allow_databases>\n    </" + name + ">\n";
  return xml;
}

// The users.d file for servers without SQL users.
std::string UsersXml(const ServerFeatures& features, const InitOptions& options) {
  std::string limits = "      <max_rows_to_read>" + std::to_string(options.max_rows_to_read) +
                       "</max_rows_to_read>\n      <read_overflow_mode>throw</read_overflow_mode>\n" +
                       "      <max_execution_time>" + std::to_string(options.max_execution_time_seconds) +
                       "</max_execution_time>\n";
  if (features.cancel_on_close) {
    limits += "      <cancel_http_readonly_queries_on_client_close>1</cancel_http_readonly_queries_on_client_close>\n";
  }
  return "<?xml version=\"1.0\"?>\n"
         "<!-- otelstack users for ClickHouse " +
         features.version.ToString() +
         " (made by `otelstack clickhouse init`).\n"
         "     Install as users.d/otelstack.xml next to the server's users.xml; ClickHouse\n"
         "     reloads it within seconds. Restrict <networks> to otelstack's addresses. -->\n"
         "<yandex>\n"
         "  <profiles>\n"
         "    <" +
         options.ingest_user +
         ">\n"
         "      <readonly>0</readonly>\n"
         "    </" +
         options.ingest_user + ">\n    <" + options.query_user +
         ">\n"
         "      <!-- readonly=1: reads only, and no setting may be changed (2 would let the\n"
         "           user lift every limit below). -->\n"
         "      <readonly>1</readonly>\n" +
         limits + "    </" + options.query_user +
         ">\n"
         "  </profiles>\n"
         "  <users>\n" +
         UserXml(options.ingest_user, options.ingest_password, options.ingest_user, options) +
         UserXml(options.query_user, options.query_password, options.query_user, options) +
         "  </users>\n"
         "</yandex>\n";
}

std::string QueryProfileSettings(const ServerFeatures& features, const InitOptions& options) {
  const std::string rows = std::to_string(options.max_rows_to_read);
  const std::string seconds = std::to_string(options.max_execution_time_seconds);
  if (HasChangeableInReadonly(features)) {
    return "readonly = 1 READONLY, max_rows_to_read = " + rows + " MIN 1 MAX " + rows +
           " CHANGEABLE_IN_READONLY, read_overflow_mode = 'throw' CHANGEABLE_IN_READONLY, max_execution_time = " +
           seconds + " MIN 1 MAX " + seconds +
           " CHANGEABLE_IN_READONLY, cancel_http_readonly_queries_on_client_close = 1 CHANGEABLE_IN_READONLY";
  }
  return "readonly = 1 READONLY, max_rows_to_read = " + rows + " READONLY, read_overflow_mode = 'throw' READONLY, " +
         "max_execution_time = " + seconds + " READONLY, cancel_http_readonly_queries_on_client_close = 1 READONLY";
}

}  // namespace

std::string Sha256Hex(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

StatusOr<std::string> GenerateClickHousePassword() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string password;
  while (password.size() < 32) {
    std::string random;
    OTELSTACK_RETURN_IF_ERROR(RandomBytes(64, &random));
    for (unsigned char c : random) {
      // 248 = 4 * 62: rejecting the rest keeps every letter equally likely.
      if (c < 248 && password.size() < 32) password.push_back(kAlphabet[c % 62]);
    }
  }
  return password;
}

StatusOr<InitPlan> PlanInit(const ServerFeatures& features, const InitOptions& options) {
  OTELSTACK_RETURN_IF_ERROR(CheckName("--database", options.database));
  OTELSTACK_RETURN_IF_ERROR(CheckName("--ingest-user", options.ingest_user));
  OTELSTACK_RETURN_IF_ERROR(CheckName("--query-user", options.query_user));
  if (options.ingest_user == options.query_user) {
    return Status::InvalidArgument("--ingest-user and --query-user must differ");
  }
  if (options.ingest_password.empty() || options.query_password.empty()) {
    return Status::InvalidArgument("init: the users' passwords must not be empty");
  }
  if (options.max_rows_to_read == 0 || options.max_execution_time_seconds == 0) {
    return Status::InvalidArgument("init: limits must be positive (0 means unlimited in ClickHouse)");
  }
  for (const std::string& network : options.networks) OTELSTACK_RETURN_IF_ERROR(CheckNetwork(network));
  if (options.networks.empty()) return Status::InvalidArgument("networks: at least one is required");

  InitPlan plan;
  const std::string& db = options.database;
  plan.statements.push_back("CREATE DATABASE IF NOT EXISTS " + db);
  if (!features.sql_users) {
    plan.users_xml = UsersXml(features, options);
    plan.notes = "ClickHouse " + features.version.ToString() +
                 " has no SQL users: install the users.xml fragment as users.d/otelstack.xml\n"
                 "(e.g. /etc/clickhouse-server/users.d/otelstack.xml, owned by the clickhouse user, mode 0640).\n"
                 "The server reloads it by itself. The ingest user is confined to database " +
                 db +
                 " but can DROP or ALTER tables there: this version has no grants.\n"
                 "The query user has readonly=1 and fixed limits: otelstack must not send other values for them.\n";
    return plan;
  }

  const std::string ingest = options.ingest_user, query = options.query_user;
  const std::string profile = options.query_user;
  plan.statements.push_back("CREATE USER IF NOT EXISTS " + ingest);
  plan.statements.push_back("ALTER USER " + ingest + " IDENTIFIED WITH sha256_hash BY '" +
                            Sha256Hex(options.ingest_password) + "'");
  plan.statements.push_back("GRANT SELECT, INSERT, CREATE TABLE, CREATE VIEW ON " + db + ".* TO " + ingest);
  // ALTER TABLE ... DROP PARTITION requires ALTER DELETE.
  if (options.retention_grant) plan.statements.push_back("GRANT ALTER DELETE ON " + db + ".* TO " + ingest);
  plan.statements.push_back("CREATE SETTINGS PROFILE IF NOT EXISTS " + profile);
  plan.statements.push_back("ALTER SETTINGS PROFILE " + profile + " SETTINGS " +
                            QueryProfileSettings(features, options));
  plan.statements.push_back("CREATE USER IF NOT EXISTS " + query);
  plan.statements.push_back("ALTER USER " + query + " IDENTIFIED WITH sha256_hash BY '" +
                            Sha256Hex(options.query_password) + "' SETTINGS PROFILE '" + profile + "'");
  plan.statements.push_back("GRANT SELECT ON " + db + ".* TO " + query);
  if (HasChangeableInReadonly(features)) {
    plan.notes =
        "The query user may lower (never raise) max_rows_to_read and max_execution_time per query. ClickHouse\n"
        "documents that CHANGEABLE_IN_READONLY needs "
        "<access_control_improvements><settings_constraints_replace_previous>\n"
        "true</...> in the server config; without it, changing those settings fails with code 164 (READONLY).\n";
  } else {
    plan.notes = "ClickHouse " + features.version.ToString() +
                 " has no CHANGEABLE_IN_READONLY: the query user's limits are fixed by its profile\n"
                 "and otelstack must not send other values for them.\n";
  }
  return plan;
}

Status RunInit(const Client& admin, const InitPlan& plan) {
  for (const std::string& sql : plan.statements) {
    Status status = admin.Query(sql, {}, nullptr);
    if (!status.ok()) {
      // The first three words name the statement without any hash.
      std::string head;
      int words = 0;
      for (char c : sql) {
        if (c == ' ' && ++words == 3) break;
        head.push_back(c);
      }
      return status.WithContext(head);
    }
  }
  return Status::OK();
}

}  // namespace otelstack::clickhouse
