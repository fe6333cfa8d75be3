#include "clickhouse/http_client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "test_util/clickhouse_server.h"
#include "test_util/temp_dir.h"

namespace otelstack::clickhouse {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// --- Pure functions ------------------------------------------------------------

TEST(ServerVersionTest, ParsesAndCompares) {
  auto old = ServerVersion::Parse("18.16.1\n");
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_EQ(old->major, 18);
  EXPECT_EQ(old->minor, 16);
  EXPECT_EQ(old->patch, 1);
  EXPECT_EQ(old->ToString(), "18.16.1");
  auto modern = ServerVersion::Parse("24.8.4.13");
  ASSERT_TRUE(modern.ok());
  EXPECT_EQ(modern->ToString(), "24.8.4");
  EXPECT_TRUE(modern->AtLeast(24, 8));
  EXPECT_FALSE(modern->AtLeast(24, 9));
  EXPECT_TRUE(modern->AtLeast(23));
  EXPECT_FALSE(old->AtLeast(19, 1));
  EXPECT_TRUE(ServerVersion::Parse("23.3").ok());
  for (const char* bad : {"", "abc", "18", "v18.16"}) EXPECT_FALSE(ServerVersion::Parse(bad).ok()) << bad;
}

TEST(ServerFeaturesTest, CutOffs) {
  ServerFeatures f18 = FeaturesOf(*ServerVersion::Parse("18.16.1"));
  EXPECT_FALSE(f18.sql_users);
  EXPECT_FALSE(f18.low_cardinality);
  EXPECT_FALSE(f18.cancel_on_close);
  EXPECT_FALSE(f18.modern_schema());
  EXPECT_TRUE(f18.wait_end_of_query);
  ServerFeatures f19 = FeaturesOf(*ServerVersion::Parse("19.10.1"));
  EXPECT_TRUE(f19.codecs && f19.low_cardinality && f19.cancel_on_close);
  EXPECT_FALSE(f19.datetime64);
  ServerFeatures f20 = FeaturesOf(*ServerVersion::Parse("20.5.2"));
  EXPECT_TRUE(f20.sql_users && f20.datetime64 && f20.ttl && f20.skip_indexes);
  EXPECT_FALSE(f20.map_type);
  EXPECT_FALSE(f20.modern_schema());
  EXPECT_FALSE(FeaturesOf(*ServerVersion::Parse("20.4.9")).sql_users);
  EXPECT_TRUE(FeaturesOf(*ServerVersion::Parse("21.1.0")).modern_schema());
  EXPECT_TRUE(FeaturesOf(*ServerVersion::Parse("24.8.4.13")).modern_schema());
}

TEST(ClickHouseUrlTest, ToString) {
  auto url = ParseClickHouseUrl("https://[::1]:9443/ch");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(UrlToString(*url), "https://[::1]:9443/ch");
  EXPECT_EQ(UrlToString(*ParseClickHouseUrl("http://ch.example.com")), "http://ch.example.com:8123/");
}

TEST(ExceptionCodeTest, ReadsTheCodeFromTheMessage) {
  EXPECT_EQ(ExceptionCode(Status::Internal("ClickHouse error 60: Table default.x doesn't exist.")), 60);
  EXPECT_EQ(ExceptionCode(Status::Internal("ClickHouse error 60: x").WithContext("insert logs")), 60);
  EXPECT_EQ(ExceptionCode(Status::Unavailable("connect to h:1: refused")), 0);
  EXPECT_EQ(ExceptionCode(Status::OK()), 0);
}

TEST(ClientTest, RefusesBadSettingNamesBeforeSending) {
  ConnectionOptions options;
  options.url = *ParseClickHouseUrl("http://127.0.0.1:1");
  Status status = Client(options).Query("SELECT 1", {{"max_rows_to_read&readonly", "0"}}, nullptr);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument) << status.ToString();
}

// --- Local peers that misbehave ------------------------------------------------

// A listening socket on 127.0.0.1 that never accepts: connections complete in
// the kernel and are never answered.
struct SilentPeer {
  SilentPeer() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    EXPECT_EQ(::listen(fd, 16), 0);
  }
  ~SilentPeer() { ::close(fd); }
  int fd = -1;
  uint16_t port = 0;
};

TEST(ClientTest, SilentPeerHitsTheDeadline) {
  SilentPeer peer;
  for (bool https : {false, true}) {
    ConnectionOptions options;
    options.url.https = https;
    options.url.host = "127.0.0.1";
    options.url.port = peer.port;
    options.url.path = "/";
    options.timeout = milliseconds(300);
    auto start = steady_clock::now();
    Status status = Client(options).Query("SELECT 1", {}, nullptr);
    auto elapsed = steady_clock::now() - start;
    EXPECT_EQ(status.code(), Status::Code::kUnavailable) << status.ToString();
    EXPECT_NE(status.message().find("timed out"), std::string::npos) << status.message();
    EXPECT_GE(elapsed, milliseconds(250));
    EXPECT_LT(elapsed, milliseconds(1000));
    start = steady_clock::now();
    status = Client(options).Insert("INSERT INTO t FORMAT TSV", std::string(100000, 'x'), {});
    EXPECT_EQ(status.code(), Status::Code::kUnavailable) << status.ToString();
    EXPECT_LT(steady_clock::now() - start, milliseconds(1000));
  }
}

TEST(ClientTest, CancelFlagStopsAWaitForASilentPeer) {
  SilentPeer peer;
  ConnectionOptions options;
  options.url = *ParseClickHouseUrl("http://127.0.0.1:" + std::to_string(peer.port));
  options.timeout = std::chrono::seconds(20);
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(200));
    cancel = true;
  });
  auto start = steady_clock::now();
  Status status = Client(options).Query("SELECT 1", {}, nullptr, &cancel);
  auto elapsed = steady_clock::now() - start;
  canceller.join();
  EXPECT_EQ(status.code(), Status::Code::kCancelled) << status.ToString();
  EXPECT_LT(elapsed, milliseconds(200 + 300));
  // A flag already set returns at once.
  EXPECT_EQ(Client(options).Query("SELECT 1", {}, nullptr, &cancel).code(), Status::Code::kCancelled);
}

// --- Against a real ClickHouse ----------------------------------------------

class RealClickHouseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = test::SharedClickHouseServer();
    ASSERT_NE(server_, nullptr);
  }
  Client Admin() const { return Client(server_->Connection()); }
  std::string MustQuery(const std::string& sql) {
    std::string out;
    Status status = Admin().Query(sql, {}, &out);
    EXPECT_TRUE(status.ok()) << sql << ": " << status.ToString();
    return out;
  }

  test::ClickHouseTestServer* server_ = nullptr;
};

TEST_F(RealClickHouseTest, QueryReturnsTheBody) {
  std::string out;
  ASSERT_TRUE(Admin().Query("SELECT number, toString(number * 2) FROM system.numbers LIMIT 3", {}, &out).ok());
  EXPECT_EQ(out, "0\t0\n1\t2\n2\t4\n");
  auto version = Admin().Version();
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  auto parsed = ServerVersion::Parse(*version);
  ASSERT_TRUE(parsed.ok()) << *version;
  EXPECT_TRUE(parsed->AtLeast(18, 16)) << *version;
}

TEST_F(RealClickHouseTest, SettingsAndDatabaseGoAsUrlParameters) {
  // A limit setting takes effect: reading 1000 rows with max_rows_to_read=10.
  Status limited = Admin().Query("SELECT count() FROM (SELECT number FROM system.numbers LIMIT 100000)",
                                 {{"max_rows_to_read", "10"}, {"read_overflow_mode", "throw"}}, nullptr);
  EXPECT_EQ(limited.code(), Status::Code::kResourceExhausted) << limited.ToString();
  EXPECT_EQ(ExceptionCode(limited), 158) << limited.ToString();
  // Values are percent-encoded: a string setting with URL metacharacters
  // arrives intact.
  const std::string tricky = "a&b=c d%2F+é#?";
  std::string out;
  ASSERT_TRUE(
      Admin()
          .Query("SELECT value FROM system.settings WHERE name = 'format_schema'", {{"format_schema", tricky}}, &out)
          .ok());
  EXPECT_EQ(out, tricky + "\n");
  // `database` selects the default database of the query.
  MustQuery("CREATE DATABASE IF NOT EXISTS h1_db");
  MustQuery("CREATE TABLE IF NOT EXISTS h1_db.t (x UInt8) ENGINE = Memory");
  ConnectionOptions in_db = server_->Connection();
  in_db.database = "h1_db";
  out.clear();
  Status status = Client(in_db).Query("SELECT currentDatabase(), count() FROM t", {}, &out);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(out, "h1_db\t0\n");
}

TEST_F(RealClickHouseTest, ExceptionsMapToStatusCodes) {
  Status unknown_table = Admin().Query("SELECT * FROM default.no_such_table", {}, nullptr);
  EXPECT_EQ(unknown_table.code(), Status::Code::kInternal) << unknown_table.ToString();
  EXPECT_EQ(ExceptionCode(unknown_table), 60);
  EXPECT_EQ(unknown_table.message().rfind("ClickHouse error 60: ", 0), 0u) << unknown_table.message();
  EXPECT_NE(unknown_table.message().find("no_such_table"), std::string::npos) << unknown_table.message();
  EXPECT_EQ(unknown_table.message().find("e.what()"), std::string::npos) << unknown_table.message();

  Status syntax = Admin().Query("SELEC 1", {}, nullptr);
  EXPECT_EQ(syntax.code(), Status::Code::kInvalidArgument) << syntax.ToString();
  EXPECT_EQ(ExceptionCode(syntax), 62);

  Status unknown_column = Admin().Query("SELECT no_such_column FROM system.one", {}, nullptr);
  EXPECT_EQ(unknown_column.code(), Status::Code::kInvalidArgument) << unknown_column.ToString();
  EXPECT_EQ(ExceptionCode(unknown_column), 47);

  Status unknown_database = Admin().Query("SELECT 1 FROM no_such_db.t", {}, nullptr);
  EXPECT_EQ(ExceptionCode(unknown_database), 81) << unknown_database.ToString();

  Status wrong_password = Client(server_->Connection("default", "s3cret-pw")).Query("SELECT 1", {}, nullptr);
  EXPECT_EQ(wrong_password.code(), Status::Code::kPermissionDenied) << wrong_password.ToString();
  EXPECT_EQ(ExceptionCode(wrong_password), 193);
  EXPECT_EQ(wrong_password.message().find("s3cret-pw"), std::string::npos) << wrong_password.message();

  Status unknown_user = Client(server_->Connection("nobody", "pw")).Query("SELECT 1", {}, nullptr);
  EXPECT_EQ(unknown_user.code(), Status::Code::kPermissionDenied) << unknown_user.ToString();
  EXPECT_EQ(ExceptionCode(unknown_user), 192);

  Status insert_missing = Admin().Insert("INSERT INTO default.no_such_table FORMAT TSV", "1\n", {});
  EXPECT_EQ(ExceptionCode(insert_missing), 60) << insert_missing.ToString();
}

TEST_F(RealClickHouseTest, InsertRoundTripWithAndWithoutGzip) {
  MustQuery("CREATE DATABASE IF NOT EXISTS h1_db");
  MustQuery("CREATE TABLE IF NOT EXISTS h1_db.ins (n UInt64, s String) ENGINE = Memory");
  MustQuery("TRUNCATE TABLE h1_db.ins");
  std::string data;
  uint64_t sum = 0;
  for (uint64_t i = 0; i < 5000; ++i) {
    data += std::to_string(i) + "\trow " + std::to_string(i % 7) + "\n";
    sum += i;
  }
  // The statement goes in the URL: spaces and parentheses are encoded.
  Status gz = Admin().Insert("INSERT INTO h1_db.ins (n, s) FORMAT TabSeparated", data, {}, /*compress=*/true);
  ASSERT_TRUE(gz.ok()) << gz.ToString();
  EXPECT_EQ(MustQuery("SELECT count(), sum(n), uniqExact(s) FROM h1_db.ins"), "5000\t" + std::to_string(sum) + "\t7\n");
  Status plain = Admin().Insert("INSERT INTO h1_db.ins (n, s) FORMAT TabSeparated", "7\tplain\n", {}, false);
  ASSERT_TRUE(plain.ok()) << plain.ToString();
  EXPECT_EQ(MustQuery("SELECT count() FROM h1_db.ins WHERE s = 'plain'"), "1\n");
  // With the `database` option the statement may name the table alone.
  ConnectionOptions in_db = server_->Connection();
  in_db.database = "h1_db";
  ASSERT_TRUE(Client(in_db).Insert("INSERT INTO ins FORMAT TabSeparated", "8\tshort\n", {}).ok());
  EXPECT_EQ(MustQuery("SELECT count() FROM h1_db.ins"), "5002\n");
}

TEST_F(RealClickHouseTest, ResponseSizeIsBounded) {
  std::string out;
  Status status = Admin().Query("SELECT number FROM system.numbers LIMIT 100000", {}, &out, nullptr, 1000);
  EXPECT_EQ(status.code(), Status::Code::kResourceExhausted) << status.ToString();
  ASSERT_TRUE(Admin().Query("SELECT number FROM system.numbers LIMIT 100", {}, &out, nullptr, 1000).ok());
}

TEST_F(RealClickHouseTest, CancelStopsALongQuery) {
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(300));
    cancel = true;
  });
  auto start = steady_clock::now();
  // Endless without a limit; 18.16 does not cancel on close, so the server
  // stops it at max_execution_time.
  Status status = Admin().Query("SELECT count() FROM system.numbers", {{"max_execution_time", "3"}}, nullptr, &cancel);
  auto elapsed = steady_clock::now() - start;
  canceller.join();
  EXPECT_EQ(status.code(), Status::Code::kCancelled) << status.ToString();
  EXPECT_GE(elapsed, milliseconds(300));
  EXPECT_LT(elapsed, milliseconds(300 + 400));
  // The deadline ends it too.
  ConnectionOptions short_timeout = server_->Connection();
  short_timeout.timeout = milliseconds(400);
  start = steady_clock::now();
  status = Client(short_timeout).Query("SELECT count() FROM system.numbers", {{"max_execution_time", "3"}}, nullptr);
  EXPECT_EQ(status.code(), Status::Code::kUnavailable) << status.ToString();
  EXPECT_LT(steady_clock::now() - start, milliseconds(400 + 400));
}

// --- TLS ------------------------------------------------------------------------

// A CA and a server certificate it signed for IP 127.0.0.1, made with the
// openssl command line tool.
struct TestCa {
  bool Make(std::string* why) {
    const std::string& d = dir.path();
    std::ofstream(dir.Sub("make.sh"))
        << "set -e\n"
           "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=otelstack-test-ca -keyout ca.key -out ca.pem\n"
           "openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key -out server.csr\n"
           "echo subjectAltName=IP:127.0.0.1 > ext.cnf\n"
           "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile ext.cnf "
           "-out server.pem\n";
    std::string command = "cd " + d + " && sh make.sh >openssl.log 2>&1";
    if (std::system(command.c_str()) != 0) {
      *why = "openssl failed; see " + d + "/openssl.log";
      return false;
    }
    return true;
  }
  std::string ca() const { return dir.Sub("ca.pem"); }
  std::string cert() const { return dir.Sub("server.pem"); }
  std::string key() const { return dir.Sub("server.key"); }
  test::TempDir dir;
};

TEST(ClickHouseTlsTest, VerifiesAgainstTheCaFile) {
  TestCa ca;
  std::string why;
  ASSERT_TRUE(ca.Make(&why)) << why;
  test::ClickHouseTestServerOptions options;
  options.https_cert_file = ca.cert();
  options.https_key_file = ca.key();
  auto server = test::ClickHouseTestServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  ASSERT_NE((*server)->https_port(), 0);

  ConnectionOptions trusted = (*server)->HttpsConnection();
  trusted.ca_file = ca.ca();
  std::string out;
  Status ok = Client(trusted).Query("SELECT 1", {}, &out);
  ASSERT_TRUE(ok.ok()) << ok.ToString() << "\n" << (*server)->LogTail();
  EXPECT_EQ(out, "1\n");
  Status inserted = Client(trusted).Query("CREATE TABLE default.tls_t (x UInt8) ENGINE = Memory", {}, nullptr);
  ASSERT_TRUE(inserted.ok()) << inserted.ToString();
  inserted = Client(trusted).Insert("INSERT INTO default.tls_t FORMAT TSV", "1\n2\n", {});
  ASSERT_TRUE(inserted.ok()) << inserted.ToString();

  // The system trust store does not know the test CA.
  Status untrusted = Client((*server)->HttpsConnection()).Query("SELECT 1", {}, nullptr);
  EXPECT_EQ(untrusted.code(), Status::Code::kUnavailable) << untrusted.ToString();
  EXPECT_NE(untrusted.message().find("TLS handshake"), std::string::npos) << untrusted.message();

  // The certificate names 127.0.0.1, not localhost: the host name check fails.
  ConnectionOptions wrong_name = trusted;
  wrong_name.url.host = "localhost";
  Status mismatch = Client(wrong_name).Query("SELECT 1", {}, nullptr);
  EXPECT_FALSE(mismatch.ok());

  ConnectionOptions unverified = (*server)->HttpsConnection();
  unverified.verify_certificate = false;
  Status insecure = Client(unverified).Query("SELECT 1", {}, nullptr);
  EXPECT_TRUE(insecure.ok()) << insecure.ToString();

  ConnectionOptions missing_ca = trusted;
  missing_ca.ca_file = ca.dir.Sub("missing.pem");
  EXPECT_EQ(Client(missing_ca).Query("SELECT 1", {}, nullptr).code(), Status::Code::kInvalidArgument);
}

// --- The test server itself ------------------------------------------------------

TEST(ClickHouseTestServerTest, KillAndStartAgainKeepTheData) {
  auto server = test::ClickHouseTestServer::Start();
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  Client client((*server)->Connection());
  ASSERT_TRUE(client.Query("CREATE TABLE default.kept (x UInt8) ENGINE = TinyLog", {}, nullptr).ok());
  ASSERT_TRUE(client.Insert("INSERT INTO default.kept FORMAT TSV", "5\n", {}).ok());
  uint16_t port = (*server)->http_port();
  (*server)->Kill();
  EXPECT_FALSE(client.Query("SELECT 1", {}, nullptr).ok());
  Status again = (*server)->StartAgain();
  ASSERT_TRUE(again.ok()) << again.ToString();
  EXPECT_EQ((*server)->http_port(), port);
  std::string out;
  ASSERT_TRUE(client.Query("SELECT sum(x) FROM default.kept", {}, &out).ok());
  EXPECT_EQ(out, "5\n");
  ASSERT_TRUE((*server)->Restart().ok());
  ASSERT_TRUE(client.Query("SELECT sum(x) FROM default.kept", {}, &out).ok());
  EXPECT_EQ(out, "5\n");
  std::string dir = (*server)->dir();
  server.value().reset();
  EXPECT_FALSE(std::filesystem::exists(dir));
}

}  // namespace
}  // namespace otelstack::clickhouse
