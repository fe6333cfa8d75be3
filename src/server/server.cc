#include "server/server.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <thread>

#include "common/dir_lock.h"
#include "common/file_util.h"
#include "common/secrets.h"
#include "ingest/ingest_service.h"
#include "meta/ingestion_keys.h"
#include "meta/key_usage.h"
#include "meta/key_verifier.h"
#include "meta/master_key.h"
#include "meta/meta_store.h"
#include "server/otlp_grpc_server.h"
#include "server/otlp_http_server.h"

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

}  // namespace

int RunServer(const ServerOptions& options) {
  // Signals are handled by sigwait below; block them before any thread starts
  // so every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  umask(077);  // every file we create in the data dir is 0600, dirs 0700

  Status s = EnsureDir(options.data_dir, 0700);
  if (!s.ok()) return Fail(s.WithContext("data dir"));
  std::unique_ptr<DirLock> data_dir_lock;
  s = DirLock::Acquire(options.data_dir, &data_dir_lock);
  if (!s.ok()) return Fail(s);
  auto master = meta::LoadOrCreateMasterKey(options.data_dir);
  if (!master.ok()) return Fail(master.status());
  auto meta_store = meta::MetaStore::Open(options.data_dir);
  if (!meta_store.ok()) return Fail(meta_store.status());
  meta::IngestionKeys keys(&(*meta_store)->ingestion_keys(), master->bytes);
  meta::KeyVerifier verifier(&(*meta_store)->ingestion_keys());
  if (options.insecure_ingest) {
    spdlog::warn("--insecure-ingest: OTLP requests are accepted WITHOUT an ingestion key. Never do this in production.");
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
  std::unique_ptr<Store> store;
  s = Store::Open(store_options, &store);
  if (!s.ok()) return Fail(s.WithContext("opening the store"));

  ingest::IngestOptions ingest_options;
  ingest_options.require_key = !options.insecure_ingest;
  ingest_options.max_body_bytes = options.max_body_bytes;
  meta::KeyUsage key_usage;
  ingest::IngestService ingest(store.get(), &verifier, &key_usage, ingest_options);

  // Picks up keys created, rotated or revoked by `otelstack keys` in another
  // process, and records when keys were last used.
  std::atomic<bool> stop_refresh{false};
  std::mutex refresh_mu;
  std::condition_variable refresh_cv;
  std::thread key_refresher([&] {
    std::unique_lock<std::mutex> lk(refresh_mu);
    while (!refresh_cv.wait_for(lk, std::chrono::seconds(1), [&] { return stop_refresh.load(); })) {
      Status rs = verifier.RefreshIfChanged();
      if (!rs.ok()) spdlog::warn("refreshing ingestion keys: {}", rs.ToString());
      for (const auto& [id, at] : key_usage.TakePending()) {
        rs = keys.TouchLastUsed(id, at);
        if (!rs.ok()) spdlog::warn("recording use of ingestion key {}: {}", id, rs.ToString());
      }
    }
  });
  auto stop_key_refresher = [&] {
    {
      std::lock_guard<std::mutex> lk(refresh_mu);
      stop_refresh = true;
    }
    refresh_cv.notify_all();
    key_refresher.join();
  };

  OtlpGrpcServer grpc_server(&ingest, options.tls);
  OtlpHttpServer http_server(&ingest, options.tls, options.http_threads);
  auto start = [&]() -> Status {
    auto grpc_addr = ListenAddress::Parse(options.otlp_grpc_listen);
    if (!grpc_addr.ok()) return grpc_addr.status();
    auto http_addr = ListenAddress::Parse(options.otlp_http_listen);
    if (!http_addr.ok()) return http_addr.status();
    auto grpc_bound = grpc_server.Start(*grpc_addr);
    if (!grpc_bound.ok()) return grpc_bound.status();
    spdlog::info("OTLP/gRPC listening on {}{}", grpc_bound->ToString(), options.tls.enabled() ? " (TLS)" : "");
    auto http_bound = http_server.Start(*http_addr);
    if (!http_bound.ok()) return http_bound.status();
    spdlog::info("OTLP/HTTP listening on {}{}", http_bound->ToString(), options.tls.enabled() ? " (TLS)" : "");
    return Status::OK();
  };
  s = start();
  int exit_code = 0;
  if (s.ok()) {
    spdlog::info("otelstack is ready (data dir {})", options.data_dir);
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("received {}, shutting down: finishing requests in flight and flushing", strsignal(sig));
  } else {
    spdlog::error("{}", s.ToString());
    exit_code = 1;
  }
  http_server.Stop();
  grpc_server.Stop();
  stop_key_refresher();
  s = store->Close();
  if (!s.ok()) {
    spdlog::error("closing the store: {}", s.ToString());
    return 1;
  }
  if (exit_code == 0) spdlog::info("otelstack stopped cleanly");
  return exit_code;
}

}  // namespace otelstack::server
