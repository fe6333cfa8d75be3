#include "server/server.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <chrono>
#include <optional>
#include <vector>

#include "audit/audit_log.h"
#include "clickhouse/clickhouse_sink.h"
#include "clickhouse/retention.h"
#include "common/dir_lock.h"
#include "common/file_util.h"
#include "common/secrets.h"
#include "ingest/ingest_service.h"
#include "meta/ingestion_keys.h"
#include "meta/key_usage.h"
#include "meta/key_verifier.h"
#include "meta/master_key.h"
#include "meta/meta_store.h"
#include "meta/meta_store_location.h"
#include "server/app_server.h"
#include "server/housekeeping.h"
#include "server/internal_server.h"
#include "server/otlp_grpc_server.h"
#include "server/otlp_http_server.h"
#include "server/production_policy.h"
#include "server/retention_keeper.h"
#include "server/server_metrics.h"

namespace otelstack::server {

namespace {

// Makes sure at least one ingestion key exists: the seeded one from the
// environment, or a new random one that is printed once.
Status EnsureIngestionKey(meta::IngestionKeys& keys) {
  auto seeded = ReadSecret(meta::kIngestionKeyEnv);
  if (!seeded.ok()) return seeded.status();
  if (seeded->has_value()) {
    auto created = keys.Create("seeded from OTELSTACK_INGESTION_KEY", **seeded);
    if (!created.ok()) return created.status().WithContext("seeding the ingestion key");
    spdlog::info("ingestion key from OTELSTACK_INGESTION_KEY is active (id {})", created->info.id);
    return Status::OK();
  }
  auto active = keys.CountActive();
  if (!active.ok()) return active.status();
  if (*active > 0) return Status::OK();
  auto created = keys.Create("default");
  if (!created.ok()) return created.status().WithContext("generating the first ingestion key");
  // Printed on stdout once, never logged again; admins can reveal it later.
  std::printf(
      "\nA new ingestion key was generated (print it again with `otelstack keys reveal %lld`).\n"
      "Send it with every OTLP request as the header:\n\n    authorization: %s\n\n"
      "e.g. OTEL_EXPORTER_OTLP_HEADERS=\"authorization=%s\"\n\n",
      static_cast<long long>(created->info.id), created->raw.c_str(), created->raw.c_str());
  std::fflush(stdout);
  return Status::OK();
}

int Fail(const Status& s) {
  spdlog::error("{}", s.ToString());
  return 1;
}

std::shared_ptr<clickhouse::ClickHouseSink> MakeClickHouseSink(const ClickHouseStorageOptions& options) {
  clickhouse::SinkOptions sink;
  sink.connection = options.connection;
  sink.schema = ClickHouseSchemaOf(options);
  sink.compress = options.compress;
  return std::make_shared<clickhouse::ClickHouseSink>(std::move(sink));
}

// Logs every violation of the production policy; false if there is any.
bool AcceptedByProductionPolicy(const ServerOptions& options) {
  std::vector<PolicyViolation> violations = ProductionPolicyViolations(options);
  if (violations.empty()) return true;
  spdlog::error("OTELSTACK_ENV=production: refusing to start ({} problem{}; see docs/production.md):",
                violations.size(), violations.size() == 1 ? "" : "s");
  for (const PolicyViolation& violation : violations) {
    spdlog::error("  - {}. Fix: {}.", violation.problem, violation.fix);
  }
  return false;
}

std::string OtlpTlsDescription(const ServerOptions& options) {
  if (!options.tls.enabled()) return options.tls_terminated_upstream ? " (TLS terminated upstream)" : "";
  return options.tls.requires_client_certificate() ? " (TLS, client certificates required)" : " (TLS)";
}

// SIGHUP: the HTTP listeners re-read their certificate files now; gRPC
// watches them itself (OtlpGrpcServer::kCertificateRefreshSeconds).
void ReloadCertificates(const ServerOptions& options, OtlpHttpServer* otlp_http, AppServer* app) {
  if (!options.tls.enabled()) {
    spdlog::info("SIGHUP: TLS is off, nothing to reload");
    return;
  }
  Status s = otlp_http->ReloadTls();
  if (s.ok()) s = app->ReloadTls();
  if (s.ok()) {
    spdlog::info("SIGHUP: reloaded the TLS certificate {} (OTLP/gRPC picks it up within {} s)", options.tls.cert_file,
                 OtlpGrpcServer::kCertificateRefreshSeconds);
  } else {
    spdlog::error("SIGHUP: {}", s.ToString());
  }
}

}  // namespace

clickhouse::SchemaOptions ClickHouseSchemaOf(const ClickHouseStorageOptions& options) {
  clickhouse::SchemaOptions schema;
  schema.database = options.connection.database.empty() ? "otel" : options.connection.database;
  schema.cluster = options.cluster;
  return schema;
}

int RunServer(const ServerOptions& options) {
  // Signals are handled by sigwait below; block them before any thread starts
  // so every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);  // reload TLS certificates
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  umask(077);  // every file we create in the data dir is 0600, dirs 0700

  if (options.production && !AcceptedByProductionPolicy(options)) return 1;

  // The internal listener comes first: liveness holds during a long WAL
  // replay, and /metrics shows the replay's progress.
  ServerMetrics metrics;
  const Store* readiness_store = nullptr;  // set once open; read by /ready after `metrics.SetReady(true)`
  size_t readiness_bound = 0;
  InternalServer internal(&metrics, [&]() -> Status {
    if (!metrics.ready()) return Status::Unavailable("starting up or shutting down");
    if (readiness_store->stats().unflushed_bytes > readiness_bound) {
      return Status::Unavailable("the store's backlog is full (OTLP requests get 503 until it drains)");
    }
    return Status::OK();
  });
  if (!options.internal_listen.empty()) {
    auto internal_addr = ListenAddress::Parse(options.internal_listen);
    if (!internal_addr.ok()) return Fail(internal_addr.status().WithContext("--internal-listen"));
    auto internal_bound = internal.Start(*internal_addr);
    if (!internal_bound.ok()) return Fail(internal_bound.status());
    spdlog::info("internal (/health, /ready, /metrics) listening on {}", internal_bound->ToString());
  }

  Status s = EnsureDir(options.data_dir, 0700);
  if (!s.ok()) return Fail(s.WithContext("data dir"));
  std::unique_ptr<DirLock> data_dir_lock;
  s = DirLock::Acquire(options.data_dir, &data_dir_lock);
  if (!s.ok()) return Fail(s);
  const meta::MetaStoreLocation meta_location{.data_dir = options.data_dir, .database_url = options.meta_database_url};
  auto meta_description = meta::DescribeMetaStore(meta_location);
  if (!meta_description.ok()) return Fail(meta_description.status());
  auto master = meta::LoadMasterKeyFor(meta_location);
  if (!master.ok()) return Fail(master.status());
  auto meta_store = meta::OpenMetaStore(meta_location);
  if (!meta_store.ok()) return Fail(meta_store.status());
  spdlog::info("metadata store: {} (schema version {})", *meta_description, (*meta_store)->schema_version());
  meta::IngestionKeys keys(&(*meta_store)->ingestion_keys(), master->bytes);
  meta::KeyVerifier verifier(&(*meta_store)->ingestion_keys());
  if (options.insecure_ingest) {
    spdlog::warn(
        "--insecure-ingest: OTLP requests are accepted WITHOUT an ingestion key. Never do this in production.");
  } else {
    s = EnsureIngestionKey(keys);
    if (!s.ok()) return Fail(s);
    s = verifier.Refresh();
    if (!s.ok()) return Fail(s.WithContext("loading ingestion keys"));
  }

  StoreOptions store_options;
  store_options.dir = options.data_dir + "/store";
  store_options.decoder = ingest::DecodeWalEntry;
  store_options.fsync = options.fsync;
  std::shared_ptr<clickhouse::ClickHouseSink> clickhouse_sink;
  if (options.clickhouse) {
    clickhouse_sink = MakeClickHouseSink(*options.clickhouse);
    store_options.sink = clickhouse_sink;
    store_options.memtable_max_age = options.clickhouse->flush_interval;
    store_options.max_unflushed_bytes = options.clickhouse->max_backlog_bytes;
    store_options.memtable_flush_bytes =
        std::min(store_options.memtable_flush_bytes, options.clickhouse->max_backlog_bytes / 4);
    spdlog::info("storage: ClickHouse at {} (database {}), behind the write-ahead log in {}",
                 clickhouse::UrlToString(options.clickhouse->connection.url), options.clickhouse->connection.database,
                 store_options.dir);
    // Not fatal: while ClickHouse is down the WAL takes the data, and the
    // first flush that reaches it creates the tables.
    s = clickhouse_sink->Prepare();
    if (!s.ok()) spdlog::warn("ClickHouse is not ready yet (data waits in the WAL): {}", s.ToString());
  }
  std::unique_ptr<Store> store;
  s = Store::Open(store_options, &store);
  if (!s.ok()) return Fail(s.WithContext("opening the store"));
  readiness_store = store.get();
  readiness_bound = store_options.max_unflushed_bytes;

  AppServerOptions app_options;
  app_options.data_dir = options.data_dir;
  app_options.listen = options.http_listen;
  app_options.tls = options.tls;
  app_options.tls.client_ca_file.clear();  // client certificates are for OTLP senders only
  app_options.public_url = options.public_url;
  app_options.web_dir = options.web_dir;
  app_options.query_ceiling.max_rows_to_read = options.query_max_rows_to_read;
  app_options.query_ceiling.max_execution_time = options.query_max_execution_time;
  app_options.production = options.production;
  app_options.fsync = options.fsync;
  app_options.audit_observer = &metrics;
  if (options.clickhouse) {
    api::ClickHouseStorage storage;
    storage.connection = options.clickhouse->query_connection;
    storage.connection.database.clear();  // statements name the database
    storage.schema = ClickHouseSchemaOf(*options.clickhouse);
    app_options.clickhouse_storage = std::move(storage);
  }
  app_options.ingestion_keys_changed = [&verifier] {
    Status rs = verifier.Refresh();
    if (!rs.ok()) spdlog::warn("refreshing ingestion keys: {}", rs.ToString());
  };
  AppServer app(app_options, meta_store->get(), &keys, store.get(), master->bytes);
  auto app_bound = app.Start();
  if (!app_bound.ok()) {
    Status close = store->Close();
    if (!close.ok()) spdlog::error("closing the store: {}", close.ToString());
    return Fail(app_bound.status());
  }
  // From here on, every way out stops /metrics from reading the stores
  // before they are destroyed (declared after both, destroyed before them).
  struct UnwatchOnExit {
    InternalServer* internal;
    ServerMetrics* metrics;
    ~UnwatchOnExit() {
      internal->Stop();
      metrics->Unwatch();
    }
  } unwatch_on_exit{&internal, &metrics};
  metrics.WatchStore("telemetry", store.get());
  metrics.WatchStore("audit", &app.audit()->store());

  // Expired days go before any data is accepted; then the retention thread
  // enforces every minute, and at once when an override changes.
  RetentionKeeper retention(options, &(*meta_store)->retention_settings(), store.get(), &app.audit()->store());
  s = retention.RecordConfigured();
  if (!s.ok()) spdlog::warn("recording the retention settings for `otelstack retention show`: {}", s.ToString());
  s = retention.Apply();
  if (!s.ok()) return Fail(s.WithContext("enforcing retention at startup"));

  ingest::IngestOptions ingest_options;
  ingest_options.require_key = !options.insecure_ingest;
  ingest_options.max_body_bytes = options.max_body_bytes;
  meta::KeyUsage key_usage;
  ingest::IngestService ingest(store.get(), &verifier, &key_usage, ingest_options);
  metrics.WatchIngest(&ingest);

  Housekeeping housekeeping({.verifier = &verifier,
                             .key_usage = &key_usage,
                             .keys = &keys,
                             .audit = app.audit(),
                             .retention = &retention,
                             .identity = &(*meta_store)->identity()});

  OtlpGrpcServer grpc_server(&ingest, options.tls);
  OtlpHttpServer http_server(&ingest, options.tls, options.http_threads);
  auto start = [&]() -> Status {
    auto grpc_addr = ListenAddress::Parse(options.otlp_grpc_listen);
    if (!grpc_addr.ok()) return grpc_addr.status();
    auto http_addr = ListenAddress::Parse(options.otlp_http_listen);
    if (!http_addr.ok()) return http_addr.status();
    const std::string otlp_tls = OtlpTlsDescription(options);
    auto grpc_bound = grpc_server.Start(*grpc_addr);
    if (!grpc_bound.ok()) return grpc_bound.status();
    spdlog::info("OTLP/gRPC listening on {}{}", grpc_bound->ToString(), otlp_tls);
    auto http_bound = http_server.Start(*http_addr);
    if (!http_bound.ok()) return http_bound.status();
    spdlog::info("OTLP/HTTP listening on {}{}", http_bound->ToString(), otlp_tls);
    app.SetIngestEndpoints(http_bound->port, grpc_bound->port, options.tls.enabled());
    return Status::OK();
  };
  s = start();
  if (s.ok()) {
    spdlog::info("app (UI and API) listening on {}{}", app_bound->ToString(),
                 options.tls.enabled() ? " (TLS, HSTS)" : "");
  }
  int exit_code = 0;
  if (s.ok()) {
    metrics.SetReady(true);
    spdlog::info("otelstack is ready (data dir {})", options.data_dir);
    int sig = 0;
    while (sigwait(&signals, &sig) == 0 && sig == SIGHUP) ReloadCertificates(options, &http_server, &app);
    metrics.SetReady(false);
    spdlog::info("received {}, shutting down: finishing requests in flight and flushing", strsignal(sig));
  } else {
    spdlog::error("{}", s.ToString());
    exit_code = 1;
  }
  http_server.Stop();
  grpc_server.Stop();
  housekeeping.Stop();  // it uses the audit log, which app.Stop() closes
  internal.Stop();      // /metrics reads the stores; the audit store goes with app.Stop()
  metrics.Unwatch();
  app.Stop();
  s = store->Close();
  if (!s.ok()) {
    spdlog::error("closing the store: {}", s.ToString());
    return 1;
  }
  if (exit_code == 0) spdlog::info("otelstack stopped cleanly");
  return exit_code;
}

}  // namespace otelstack::server
