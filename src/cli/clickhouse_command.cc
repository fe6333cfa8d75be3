#include "cli/clickhouse_command.h"

#include <iostream>

#include "clickhouse/http_client.h"
#include "clickhouse/init.h"
#include "common/secrets.h"

namespace otelstack::cli {

namespace {

int Fail(const Status& s) {
  std::cerr << "otelstack clickhouse init: " << s.ToString() << "\n";
  return 1;
}

// A user's password: from env NAME or NAME_FILE, else generated (*generated).
StatusOr<std::string> UserPassword(const char* env_name, bool* generated) {
  auto secret = ReadSecret(env_name);
  if (!secret.ok()) return secret.status();
  *generated = !secret->has_value();
  if (*generated) return clickhouse::GenerateClickHousePassword();
  return **secret;
}

StatusOr<std::string> AdminPassword(bool from_stdin) {
  auto secret = ReadSecret("OTELSTACK_CLICKHOUSE_ADMIN_PASSWORD");
  if (!secret.ok()) return secret.status();
  if (from_stdin) {
    if (secret->has_value()) {
      return Status::InvalidArgument("--admin-password-stdin and OTELSTACK_CLICKHOUSE_ADMIN_PASSWORD are both set");
    }
    std::string line;
    if (!std::getline(std::cin, line)) {
      return Status::InvalidArgument("--admin-password-stdin: no line on standard input");
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  return secret->value_or("");
}

void PrintPlan(const clickhouse::InitPlan& plan, const clickhouse::ServerFeatures& features) {
  std::cout << "-- SQL for ClickHouse " << features.version.ToString() << ", run as an administrator:\n";
  for (const std::string& sql : plan.statements) std::cout << sql << ";\n";
  if (!plan.users_xml.empty()) {
    std::cout << "\n" << plan.users_xml;
  }
}

}  // namespace

ClickHouseCommand::ClickHouseCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("clickhouse", "Prepare a ClickHouse server for otelstack (init)");
  cmd_->require_subcommand(1);
  init_ = cmd_->add_subcommand(
      "init",
      "Create the database, the ingestion user and the readonly query user (or print a users.xml fragment for "
      "servers without SQL users). Admin password: env OTELSTACK_CLICKHOUSE_ADMIN_PASSWORD(_FILE) or "
      "--admin-password-stdin. User passwords: env OTELSTACK_CLICKHOUSE_INGEST_PASSWORD and "
      "OTELSTACK_CLICKHOUSE_QUERY_PASSWORD (or _FILE), else generated and printed once.");
  init_->add_option("--url", url_, "ClickHouse HTTP interface, e.g. https://host:8443")
      ->envname("OTELSTACK_CLICKHOUSE_URL");
  init_->add_option("--admin-user", admin_user_, "An administrator that may create databases and users")
      ->capture_default_str();
  init_->add_flag("--admin-password-stdin", admin_password_stdin_,
                  "Read the administrator's password from one line of standard input");
  init_->add_option("--database", database_, "Database of the otel tables")->capture_default_str();
  init_->add_option("--ingest-user", ingest_user_, "User that creates the tables and inserts")->capture_default_str();
  init_->add_option("--query-user", query_user_, "Readonly user for the UI and API")->capture_default_str();
  init_->add_option("--ca-file", ca_file_, "PEM CA bundle to verify ClickHouse's certificate")
      ->envname("OTELSTACK_CLICKHOUSE_CA_FILE");
  init_->add_option("--max-rows-to-read", max_rows_to_read_, "The query user's max_rows_to_read (its highest value)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 62))
      ->capture_default_str();
  init_
      ->add_option("--max-execution-time", max_execution_time_,
                   "The query user's max_execution_time in seconds (its highest value)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{86400}))
      ->capture_default_str();
  init_->add_option("--networks", networks_, "users.xml only: addresses or CIDRs the users may connect from")
      ->delimiter(',')
      ->capture_default_str();
  init_->add_flag("--no-retention-grant", no_retention_grant_,
                  "Do not GRANT ALTER DELETE (DROP PARTITION, for otelstack's retention) to the ingestion user");
  init_->add_flag("--print-only", print_only_, "Print the SQL / users.xml without changing anything");
  init_->add_option("--server-version", server_version_,
                    "With --print-only: plan for this ClickHouse version instead of asking the server");
  init_->add_option("--timeout", timeout_seconds_, "Seconds allowed for each request")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
}

int ClickHouseCommand::Run() {
  if (!server_version_.empty() && !print_only_) {
    std::cerr << "otelstack clickhouse init: --server-version needs --print-only\n";
    return 2;
  }
  clickhouse::ConnectionOptions connection;
  if (server_version_.empty()) {
    if (url_.empty()) {
      std::cerr << "otelstack clickhouse init: --url (or OTELSTACK_CLICKHOUSE_URL) is required\n";
      return 2;
    }
    auto url = clickhouse::ParseClickHouseUrl(url_);
    if (!url.ok()) return Fail(url.status().WithContext("--url"));
    auto admin_password = AdminPassword(admin_password_stdin_);
    if (!admin_password.ok()) return Fail(admin_password.status());
    connection.url = *url;
    connection.user = admin_user_;
    connection.password = *admin_password;
    connection.ca_file = ca_file_;
    connection.timeout = std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds_ * 1000));
  }
  clickhouse::Client admin(connection);

  std::string version_text = server_version_;
  if (version_text.empty()) {
    auto version = admin.Version();
    if (!version.ok()) return Fail(version.status().WithContext("asking the server's version"));
    version_text = *version;
  }
  auto version = clickhouse::ServerVersion::Parse(version_text);
  if (!version.ok()) return Fail(version.status());
  clickhouse::ServerFeatures features = clickhouse::FeaturesOf(*version);

  clickhouse::InitOptions options;
  options.database = database_;
  options.ingest_user = ingest_user_;
  options.query_user = query_user_;
  options.max_rows_to_read = max_rows_to_read_;
  options.max_execution_time_seconds = max_execution_time_;
  options.networks = networks_;
  options.retention_grant = !no_retention_grant_;
  bool ingest_generated = false, query_generated = false;
  auto ingest_password = UserPassword("OTELSTACK_CLICKHOUSE_INGEST_PASSWORD", &ingest_generated);
  if (!ingest_password.ok()) return Fail(ingest_password.status());
  auto query_password = UserPassword("OTELSTACK_CLICKHOUSE_QUERY_PASSWORD", &query_generated);
  if (!query_password.ok()) return Fail(query_password.status());
  options.ingest_password = *ingest_password;
  options.query_password = *query_password;

  auto plan = clickhouse::PlanInit(features, options);
  if (!plan.ok()) return Fail(plan.status());

  if (print_only_) {
    PrintPlan(*plan, features);
  } else {
    Status status = clickhouse::RunInit(admin, *plan);
    if (!status.ok()) return Fail(status);
    std::cout << "ClickHouse " << features.version.ToString() << " at " << clickhouse::UrlToString(connection.url)
              << ": database " << database_ << " ready";
    if (features.sql_users) {
      std::cout << "; users " << ingest_user_ << " (ingestion) and " << query_user_ << " (readonly queries) ready\n";
    } else {
      std::cout << ".\nThis server has no SQL users. Install the following as users.d/otelstack.xml:\n\n"
                << plan->users_xml << "\n";
    }
  }
  if (!plan->notes.empty()) std::cout << "\nNote:\n" << plan->notes;
  if (ingest_generated || query_generated) {
    std::cout << "\nGenerated passwords (shown once; store them now, e.g. for OTELSTACK_CLICKHOUSE_PASSWORD_FILE):\n";
    if (ingest_generated) std::cout << "  " << ingest_user_ << ": " << *ingest_password << "\n";
    if (query_generated) std::cout << "  " << query_user_ << ": " << *query_password << "\n";
  }
  return 0;
}

}  // namespace otelstack::cli
