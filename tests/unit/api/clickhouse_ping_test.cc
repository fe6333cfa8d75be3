#include "api/clickhouse_ping.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "test_util/clickhouse_server.h"
#include "test_util/temp_dir.h"

namespace otelstack::api {
namespace {

using std::chrono::steady_clock;

TEST(ClickHouseUrlTest, ParsesHttpAndHttps) {
  auto a = ParseClickHouseUrl("http://ch.example.com");
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->https);
  EXPECT_EQ(a->host, "ch.example.com");
  EXPECT_EQ(a->port, 8123);
  EXPECT_EQ(a->path, "/");
  auto b = ParseClickHouseUrl("HTTPS://10.0.0.1:9443/proxy/ch");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->https);
  EXPECT_EQ(b->host, "10.0.0.1");
  EXPECT_EQ(b->port, 9443);
  EXPECT_EQ(b->path, "/proxy/ch");
  auto c = ParseClickHouseUrl("https://[::1]/");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->port, 8443);
}

TEST(ClickHouseUrlTest, RejectsOtherUrls) {
  for (const char* bad :
       {"", "ch:8123", "ftp://ch", "file:///etc/passwd", "http://", "http://:8123", "http://u:p@ch", "http://ch:0",
        "http://ch:70000", "http://ch:12a", "http://ch/?x=1", "http://c h", "http://[::1", "http://ch\n.evil"}) {
    auto url = ParseClickHouseUrl(bad);
    EXPECT_FALSE(url.ok()) << bad;
    if (!url.ok()) {
      EXPECT_EQ(url.status().code(), Status::Code::kInvalidArgument);
      EXPECT_EQ(url.status().message().rfind("url: ", 0), 0u) << url.status().message();
    }
  }
}

// A socket on 127.0.0.1; `listening` keeps it open (connections complete in
// the kernel and are never answered), otherwise it is released.
struct LocalPort {
  explicit LocalPort(bool listening) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    if (listening) {
      EXPECT_EQ(::listen(fd, 16), 0);
    } else {
      ::close(fd);
      fd = -1;
    }
  }
  ~LocalPort() {
    if (fd >= 0) ::close(fd);
  }
  int fd = -1;
  uint16_t port = 0;
};

ClickHouseUrl Local(bool https, uint16_t port) {
  ClickHouseUrl url;
  url.https = https;
  url.host = "127.0.0.1";
  url.port = port;
  url.path = "/";
  return url;
}

TEST(PingClickHouseTest, RefusedPortFailsFast) {
  LocalPort closed(false);
  auto start = steady_clock::now();
  Status status = PingClickHouse(Local(false, closed.port), PingOptions{});
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(3));
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("connect to 127.0.0.1:"), std::string::npos) << status.message();
}

// A peer that accepts the connection and never answers: the deadline ends
// the wait (for the HTTP response, and for the TLS handshake).
TEST(PingClickHouseTest, SilentPeerHitsTheDeadline) {
  LocalPort silent(true);
  for (bool https : {false, true}) {
    PingOptions options;
    options.timeout = std::chrono::milliseconds(300);
    auto start = steady_clock::now();
    Status status = PingClickHouse(Local(https, silent.port), options);
    auto elapsed = steady_clock::now() - start;
    ASSERT_FALSE(status.ok());
    EXPECT_NE(status.message().find("timed out"), std::string::npos) << status.message();
    EXPECT_GE(elapsed, std::chrono::milliseconds(250));
    EXPECT_LT(elapsed, std::chrono::milliseconds(1500));
  }
}

TEST(PingClickHouseTest, UnresolvableHostFails) {
  ClickHouseUrl url = Local(false, 8123);
  url.host = "no-such-host.invalid";
  Status status = PingClickHouse(url, PingOptions{});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("resolve no-such-host.invalid"), std::string::npos) << status.message();
}

// --- TLS ---------------------------------------------------------------------

// Answers `connections` HTTPS requests with "1" using a self-signed
// certificate for 127.0.0.1 (made with the openssl command line tool).
class SelfSignedServer {
 public:
  bool Start(int connections, std::string* why) {
    std::string cert = dir_.Sub("cert.pem"), key = dir_.Sub("key.pem");
    std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
        "-addext subjectAltName=IP:127.0.0.1 -keyout " +
        key + " -out " + cert + " >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0) {
      *why = "openssl could not make a certificate";
      return false;
    }
    boost::system::error_code ec;
    context_.use_certificate_chain_file(cert, ec);
    if (!ec) context_.use_private_key_file(key, boost::asio::ssl::context::pem, ec);
    if (ec) {
      *why = ec.message();
      return false;
    }
    using tcp = boost::asio::ip::tcp;
    acceptor_.open(tcp::v4());
    acceptor_.bind(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this, connections] {
      for (int i = 0; i < connections; ++i) {
        boost::system::error_code ec;
        boost::asio::ssl::stream<tcp::socket> stream(ioc_, context_);
        acceptor_.accept(stream.next_layer(), ec);
        if (ec) return;
        stream.handshake(boost::asio::ssl::stream_base::server, ec);
        if (ec) continue;  // the client refused the certificate
        boost::asio::streambuf request;
        boost::asio::read_until(stream, request, "\r\n\r\n", ec);
        std::string response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n1\n";
        boost::asio::write(stream, boost::asio::buffer(response), ec);
        stream.shutdown(ec);
      }
      done_ = true;
    });
    return true;
  }
  // If a test failed before using every connection, empty ones (refused
  // handshakes) let the thread finish.
  ~SelfSignedServer() {
    while (thread_.joinable() && !done_) {
      boost::system::error_code ec;
      boost::asio::ip::tcp::socket poke(ioc_);
      poke.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
      poke.close(ec);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (thread_.joinable()) thread_.join();
  }
  uint16_t port() const { return port_; }

 private:
  test::TempDir dir_;
  boost::asio::io_context ioc_;
  boost::asio::ssl::context context_{boost::asio::ssl::context::tls_server};
  boost::asio::ip::tcp::acceptor acceptor_{ioc_};
  uint16_t port_ = 0;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

TEST(PingClickHouseTest, HttpsVerifiesTheCertificateByDefault) {
  SelfSignedServer server;
  std::string why;
  if (!server.Start(2, &why)) GTEST_SKIP() << why;
  Status verified = PingClickHouse(Local(true, server.port()), PingOptions{});
  ASSERT_FALSE(verified.ok());
  EXPECT_NE(verified.message().find("TLS handshake"), std::string::npos) << verified.message();
  PingOptions trusting;
  trusting.verify_certificate = false;
  Status ok = PingClickHouse(Local(true, server.port()), trusting);
  EXPECT_TRUE(ok.ok()) << ok.ToString();
}

// --- Against a real ClickHouse (Debian clickhouse-server; scripts/deps) -----

TEST(PingClickHouseTest, RealClickHouse) {
  test::ClickHouseTestServerOptions options;
  options.extra_users =
      "<reader><password>reader-pw</password><networks><ip>127.0.0.1</ip></networks>"
      "<profile>default</profile><quota>default</quota></reader>";
  auto server = test::ClickHouseTestServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  ClickHouseUrl url = Local(false, (*server)->http_port());

  EXPECT_TRUE(PingClickHouse(url, PingOptions{}).ok());
  PingOptions reader;
  reader.username = "reader";
  reader.password = "reader-pw";
  Status ok = PingClickHouse(url, reader);
  EXPECT_TRUE(ok.ok()) << ok.ToString();
  reader.password = "wrong-pw";
  Status denied = PingClickHouse(url, reader);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.code(), Status::Code::kPermissionDenied) << denied.ToString();
  EXPECT_NE(denied.message().find("ClickHouse error 193"), std::string::npos) << denied.message();
  EXPECT_EQ(denied.message().find("wrong-pw"), std::string::npos) << denied.message();
  // Speaking TLS to the plain HTTP port fails within the deadline.
  ClickHouseUrl tls = url;
  tls.https = true;
  auto start = steady_clock::now();
  EXPECT_FALSE(PingClickHouse(tls, PingOptions{}).ok());
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(3));
}

}  // namespace
}  // namespace otelstack::api
