// What only the PostgreSQL metadata store has to show: several MetaStores
// (replicas) on one database see each other's changes through Generation(),
// the first-team and last-admin invariants hold across them, migrations run
// once when replicas start together, a database from a newer binary is
// refused, the password never comes from (or goes into) the URL, a lost
// connection is Unavailable once and then reconnects, and a shared store
// requires the master key from the environment.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <latch>
#include <thread>
#include <vector>

#include "meta/ingestion_keys.h"
#include "meta/meta_store.h"
#include "meta/meta_store_location.h"
#include "meta/postgres_migrations.h"
#include "meta_backend.h"

namespace otelstack::meta {
namespace {

using std::chrono::hours;

const TimePoint kT0{std::chrono::milliseconds(1'700'000'000'000)};
const std::string kMasterKey(32, 'm');

NewUser MakeUser(std::string email, Role role = Role::kViewer) {
  return NewUser{.email = std::move(email), .name = "N", .role = role, .password_hash = "h", .created_at = kT0};
}

// Restores an environment variable when it goes out of scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    const char* old = std::getenv(name);
    if (old != nullptr) old_ = old;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

class PostgresMetaStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OTELSTACK_POSTGRES_DATABASE_OR_SKIP(url);
    location_.data_dir = tmp_.path();
    location_.database_url = url;
  }
  StatusOr<std::unique_ptr<MetaStore>> OpenStore() { return OpenMetaStore(location_); }

  test::TempDir tmp_;
  MetaStoreLocation location_;
};

TEST_F(PostgresMetaStoreTest, PathDescribesTheDatabaseWithoutPassword) {
  auto store = OpenStore();
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_TRUE((*store)->is_postgres());
  EXPECT_EQ((*store)->path(), location_.database_url);  // the test URL has no password and names host and port
  EXPECT_EQ((*store)->schema_version(), KnownPostgresMigrations().back().version);
  EXPECT_EQ(KnownPostgresMigrations().back().version, KnownMigrations().back().version)
      << "both backends must know the same schema versions";
  auto described = DescribeMetaStore(location_);
  ASSERT_TRUE(described.ok());
  EXPECT_EQ(*described, "PostgreSQL " + location_.database_url);
}

TEST_F(PostgresMetaStoreTest, TwoReplicasSeeEachOthersChanges) {
  auto a = OpenStore();
  auto b = OpenStore();
  ASSERT_TRUE(a.ok() && b.ok()) << a.status().ToString() << " / " << b.status().ToString();

  // Ingestion keys: B's generation moves when A creates and revokes.
  auto g0 = (*b)->ingestion_keys().Generation();
  ASSERT_TRUE(g0.ok()) << g0.status().ToString();
  IngestionKeys keys_a(&(*a)->ingestion_keys(), kMasterKey);
  auto created = keys_a.Create("from-a");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto g1 = (*b)->ingestion_keys().Generation();
  ASSERT_TRUE(g1.ok());
  EXPECT_NE(*g1, *g0);
  auto listed = (*b)->ingestion_keys().List();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].digest_hex, created->info.digest_hex);
  // B reveals what A sealed (same master key).
  IngestionKeys keys_b(&(*b)->ingestion_keys(), kMasterKey);
  auto revealed = keys_b.Reveal(created->info.id);
  ASSERT_TRUE(revealed.ok()) << revealed.status().ToString();
  EXPECT_EQ(*revealed, created->raw);
  // last_used_at is not a change that matters to verification.
  KeyUse use{.id = created->info.id, .at = kT0};
  ASSERT_TRUE((*a)->ingestion_keys().TouchLastUsed(std::span<const KeyUse>(&use, 1)).ok());
  EXPECT_EQ(*(*b)->ingestion_keys().Generation(), *g1);
  ASSERT_TRUE(keys_a.Revoke(created->info.id).ok());
  EXPECT_NE(*(*b)->ingestion_keys().Generation(), *g1);

  // Sessions: created on A, seen and revoked on B, revoked on A.
  auto reg = (*a)->identity().CreateFirstTeam("T", MakeUser("admin@x.io"));
  ASSERT_TRUE(reg.ok()) << reg.status().ToString();
  SessionRecord session{.id_digest_hex = "s1",
                        .user_id = reg->admin.id,
                        .created_at = kT0,
                        .last_seen_at = kT0,
                        .expires_at = kT0 + hours(1),
                        .revoked_at = std::nullopt,
                        .client_address = "127.0.0.1",
                        .user_agent = "test"};
  ASSERT_TRUE((*a)->identity().CreateSession(session).ok());
  auto seen = (*b)->identity().GetSession("s1");
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_FALSE(seen->revoked_at);
  ASSERT_TRUE((*b)->identity().RevokeSession("s1", kT0 + hours(1) / 2).ok());
  EXPECT_TRUE((*a)->identity().GetSession("s1")->revoked_at);

  // Settings.
  auto s0 = (*a)->retention_settings().Generation();
  ASSERT_TRUE(s0.ok());
  ASSERT_TRUE((*b)->retention_settings().SetOverride("logs", hours(24), kT0).ok());
  EXPECT_NE(*(*a)->retention_settings().Generation(), *s0);
}

// Four replicas register at once: one team, one winner, AlreadyExists for
// the rest.
TEST_F(PostgresMetaStoreTest, ConcurrentFirstTeamOnFourReplicasHasOneWinner) {
  constexpr int kReplicas = 4;
  std::vector<std::unique_ptr<MetaStore>> stores;
  for (int i = 0; i < kReplicas; ++i) {
    auto store = OpenStore();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    stores.push_back(std::move(store).value());
  }
  std::latch start(kReplicas);
  std::vector<Status> results(kReplicas);
  std::vector<std::thread> threads;
  for (int i = 0; i < kReplicas; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      auto r =
          stores[i]->identity().CreateFirstTeam("T" + std::to_string(i), MakeUser("u" + std::to_string(i) + "@x.io"));
      results[i] = r.status();
    });
  }
  for (auto& t : threads) t.join();
  int winners = 0;
  for (const Status& st : results) {
    if (st.ok()) {
      ++winners;
    } else {
      EXPECT_EQ(st.code(), Status::Code::kAlreadyExists) << st.ToString();
    }
  }
  EXPECT_EQ(winners, 1);
  auto teams = stores[0]->identity().ListTeams();
  ASSERT_TRUE(teams.ok());
  ASSERT_EQ(teams->size(), 1u);
  EXPECT_EQ(stores[1]->identity().ListUsers((*teams)[0].id)->size(), 1u);
}

// Two admins on two replicas demote each other at once: one demotion must
// fail, so the team keeps an admin (a check-then-write across processes).
TEST_F(PostgresMetaStoreTest, ConcurrentDemotionsKeepAnAdmin) {
  for (int round = 0; round < 5; ++round) {
    if (round > 0) {
      OTELSTACK_POSTGRES_DATABASE_OR_SKIP(url);
      location_.database_url = url;
    }
    auto a = OpenStore();
    auto b = OpenStore();
    ASSERT_TRUE(a.ok() && b.ok());
    auto reg = (*a)->identity().CreateFirstTeam("T", MakeUser("first@x.io"));
    ASSERT_TRUE(reg.ok());
    auto second = (*a)->identity().CreateUser(reg->team.id, MakeUser("second@x.io", Role::kAdmin));
    ASSERT_TRUE(second.ok());
    std::latch start(2);
    Status sa, sb;
    std::thread ta([&] {
      start.arrive_and_wait();
      sa = (*a)->identity().SetRole(second->id, Role::kViewer);
    });
    std::thread tb([&] {
      start.arrive_and_wait();
      sb = (*b)->identity().SetRole(reg->admin.id, Role::kViewer);
    });
    ta.join();
    tb.join();
    EXPECT_NE(sa.ok(), sb.ok()) << sa.ToString() << " / " << sb.ToString();
    const Status& loser = sa.ok() ? sb : sa;
    EXPECT_EQ(loser.code(), Status::Code::kFailedPrecondition) << loser.ToString();
    auto users = (*b)->identity().ListUsers(reg->team.id);
    ASSERT_TRUE(users.ok());
    int admins = 0;
    for (const User& u : *users) admins += u.role == Role::kAdmin;
    EXPECT_EQ(admins, 1) << "round " << round;
  }
}

TEST_F(PostgresMetaStoreTest, MigrationsRunOnceWhenReplicasStartTogether) {
  constexpr int kReplicas = 4;
  std::latch start(kReplicas);
  std::vector<StatusOr<std::unique_ptr<MetaStore>>> opened;
  for (int i = 0; i < kReplicas; ++i) opened.emplace_back(Status::Internal("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kReplicas; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      opened[i] = OpenStore();
    });
  }
  for (auto& t : threads) t.join();
  for (auto& store : opened) {
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_EQ((*store)->schema_version(), KnownPostgresMigrations().back().version);
  }
  std::string url = location_.database_url;
  auto count = [&](const std::string& sql) {
    PGconn* conn = PQconnectdb(url.c_str());
    std::string out;
    if (PQstatus(conn) == CONNECTION_OK) {
      PGresult* r = PQexec(conn, sql.c_str());
      if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
      PQclear(r);
    }
    PQfinish(conn);
    return out;
  };
  EXPECT_EQ(count("SELECT COUNT(*) FROM schema_migrations"), std::to_string(KnownPostgresMigrations().size()));
  EXPECT_EQ(count("SELECT COUNT(*) FROM change_counters"), "2") << "each migration's seed rows exactly once";
}

TEST_F(PostgresMetaStoreTest, RefusesDatabaseFromNewerBinary) {
  { ASSERT_TRUE(OpenStore().ok()); }
  Status why;
  auto* server = test::SharedPostgresServer(&why);
  ASSERT_NE(server, nullptr);
  std::string db = location_.database_url.substr(location_.database_url.rfind('/') + 1);
  ASSERT_TRUE(server->Exec("INSERT INTO schema_migrations VALUES (999, 'future', 0)", db).ok());
  auto store = OpenStore();
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kFailedPrecondition) << store.status().ToString();
  EXPECT_NE(store.status().message().find("newer than this binary"), std::string::npos);
}

TEST_F(PostgresMetaStoreTest, LostConnectionIsUnavailableOnceThenReconnects) {
  auto store = OpenStore();
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->ingestion_keys().Generation().ok());
  Status why;
  auto* server = test::SharedPostgresServer(&why);
  ASSERT_NE(server, nullptr);
  std::string db = location_.database_url.substr(location_.database_url.rfind('/') + 1);
  ASSERT_TRUE(server
                  ->Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db +
                         "' AND pid <> pg_backend_pid()")
                  .ok());
  auto lost = (*store)->ingestion_keys().Generation();
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.status().code(), Status::Code::kUnavailable) << lost.status().ToString();
  auto again = (*store)->ingestion_keys().Generation();
  EXPECT_TRUE(again.ok()) << again.status().ToString();
  auto any = (*store)->identity().AnyTeam();
  EXPECT_TRUE(any.ok()) << any.status().ToString();
}

TEST(PostgresLocationTest, UrlWithPasswordIsRefused) {
  test::TempDir tmp;
  for (const std::string& url : {std::string("postgresql://otelstack:s3cret-pw@127.0.0.1:1/otelstack"),
                                 std::string("host=127.0.0.1 port=1 user=otelstack password=s3cret-pw dbname=x")}) {
    MetaStoreLocation location{.data_dir = tmp.path(), .database_url = url};
    auto store = OpenMetaStore(location);
    ASSERT_FALSE(store.ok()) << url;
    EXPECT_EQ(store.status().code(), Status::Code::kInvalidArgument) << store.status().ToString();
    EXPECT_NE(store.status().message().find("OTELSTACK_META_DATABASE_PASSWORD"), std::string::npos);
    EXPECT_EQ(store.status().message().find("s3cret-pw"), std::string::npos) << "never echo the password";
    auto described = DescribeMetaStore(location);
    EXPECT_EQ(described.status().code(), Status::Code::kInvalidArgument);
  }
  MetaStoreLocation sqlite{.data_dir = tmp.path(), .database_url = ""};
  EXPECT_EQ(*DescribeMetaStore(sqlite), "SQLite " + tmp.path() + "/meta.db");
  MetaStoreLocation no_port{.data_dir = tmp.path(), .database_url = "postgresql://me@db.internal/otel?sslmode=require"};
  EXPECT_EQ(*DescribeMetaStore(no_port), "PostgreSQL postgresql://me@db.internal:5432/otel");
}

TEST(PostgresLocationTest, UnreachableServerIsUnavailable) {
  test::TempDir tmp;
  ScopedEnv no_password("OTELSTACK_META_DATABASE_PASSWORD", nullptr);
  // Port 1 on loopback: nothing listens there.
  MetaStoreLocation location{.data_dir = tmp.path(), .database_url = "postgresql://x@127.0.0.1:1/x?connect_timeout=2"};
  auto store = OpenMetaStore(location);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kUnavailable) << store.status().ToString();
}

TEST(PostgresLocationTest, SharedStoreNeedsTheEncryptionKeyFromTheEnvironment) {
  test::TempDir tmp;
  ScopedEnv no_key("OTELSTACK_ENCRYPTION_KEY", nullptr);
  ScopedEnv no_key_file("OTELSTACK_ENCRYPTION_KEY_FILE", nullptr);
  MetaStoreLocation shared{.data_dir = tmp.path(), .database_url = "postgresql://x@127.0.0.1:1/x"};
  auto refused = LoadMasterKeyFor(shared);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("OTELSTACK_ENCRYPTION_KEY"), std::string::npos);
  EXPECT_NE(refused.status().message().find("every replica"), std::string::npos);
  EXPECT_NE(::access((tmp.path() + "/master.key").c_str(), F_OK), 0) << "no per-data-dir key was generated";

  MetaStoreLocation local{.data_dir = tmp.path(), .database_url = ""};
  EXPECT_TRUE(LoadMasterKeyFor(local).ok()) << "SQLite may still generate one";

  ScopedEnv key("OTELSTACK_ENCRYPTION_KEY", std::string(64, 'a').c_str());
  auto loaded = LoadMasterKeyFor(shared);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->source, MasterKeySource::kEnvironment);
}

}  // namespace
}  // namespace otelstack::meta
