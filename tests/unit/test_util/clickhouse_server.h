// A throwaway ClickHouse server for unit tests (Debian's clickhouse-server,
// 18.16 or later; another binary through env CLICKHOUSE_SERVER_BIN).
//
// Start() writes config.xml and users.xml into a fresh temp dir (data, tmp,
// user_files, format_schemas and logs all inside it), binds HTTP, native TCP
// and optionally HTTPS on free 127.0.0.1 ports, and returns once `SELECT 1`
// answers over HTTP (polled every 50 ms, no fixed sleep; 60 s at most). The
// server runs in its own process group; Kill() and the destructor SIGKILL the
// group and reap it, the destructor also removes the dir. The child asks the
// kernel for SIGKILL when its parent thread ends (PR_SET_PDEATHSIG), so a
// server never outlives a crashed test binary: start it from the test's main
// thread (a thread that exits would take the server with it).
//
// When the binary is missing, Start() fails with a message that says so
// (scripts/deps installs it): tests ASSERT on it and fail, they do not skip.
//
// Users: `default` (no password, 127.0.0.1 only, full rights) plus whatever
// options.extra_users / extra_profiles / users_d add. 18.16 has no SQL users,
// so every other user comes from these XML snippets.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "clickhouse/http_client.h"
#include "common/status.h"
#include "test_util/temp_dir.h"

namespace otelstack::test {

struct ClickHouseTestServerOptions {
  // XML inserted inside users.xml's <profiles> and <users>, e.g.
  // "<ro><readonly>1</readonly></ro>" and
  // "<reader><password>pw</password><networks><ip>127.0.0.1</ip></networks>
  //  <profile>ro</profile><quota>default</quota></reader>".
  std::string extra_profiles;
  std::string extra_users;
  // Whole files written to users.d/<name> (ClickHouse merges them into
  // users.xml), e.g. the fragment `otelstack clickhouse init` prints.
  std::map<std::string, std::string> users_d;
  // PEM files; when both are set the server also listens for https.
  std::string https_cert_file;
  std::string https_key_file;
  // Inside config.xml's <yandex>: "<remote_servers>...</remote_servers>",
  // "<zookeeper>...</zookeeper>", and anything else (e.g. <macros>).
  std::string remote_servers_xml;
  std::string zookeeper_xml;
  std::string extra_config_xml;
  std::chrono::seconds ready_timeout{60};
};

class ClickHouseTestServer {
 public:
  static StatusOr<std::unique_ptr<ClickHouseTestServer>> Start(const ClickHouseTestServerOptions& options = {}) {
    std::string binary = ServerBinary();
    if (::access(binary.c_str(), X_OK) != 0) {
      return Status::FailedPrecondition(binary +
                                        " is not installed: run scripts/deps (Debian package clickhouse-server)");
    }
    std::unique_ptr<ClickHouseTestServer> server(new ClickHouseTestServer(options, binary));
    if (server->dir_.path().empty()) return Status::IOError("cannot create a temp dir");
    Status status = server->WriteConfig();
    if (!status.ok()) return status;
    status = server->StartAgain();
    if (!status.ok()) return status;
    return server;
  }

  ~ClickHouseTestServer() { Kill(); }
  ClickHouseTestServer(const ClickHouseTestServer&) = delete;
  ClickHouseTestServer& operator=(const ClickHouseTestServer&) = delete;

  uint16_t http_port() const { return http_port_; }
  uint16_t https_port() const { return https_port_; }  // 0 without https
  uint16_t tcp_port() const { return tcp_port_; }
  const std::string& dir() const { return dir_.path(); }
  bool running() const { return pid_ > 0; }

  clickhouse::ConnectionOptions Connection(std::string user = "", std::string password = "") const {
    clickhouse::ConnectionOptions options;
    options.url.host = "127.0.0.1";
    options.url.port = http_port_;
    options.url.path = "/";
    options.user = std::move(user);
    options.password = std::move(password);
    options.timeout = std::chrono::seconds(30);
    return options;
  }
  // The https endpoint (the certificate must name 127.0.0.1).
  clickhouse::ConnectionOptions HttpsConnection(std::string user = "", std::string password = "") const {
    clickhouse::ConnectionOptions options = Connection(std::move(user), std::move(password));
    options.url.https = true;
    options.url.port = https_port_;
    return options;
  }

  // SIGKILLs the process group and reaps it (a crash, as far as ClickHouse
  // can tell). The data dir stays.
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  // Starts the server on the same ports and data dir and waits until it
  // answers. FailedPrecondition if it is running.
  Status StartAgain() {
    if (pid_ > 0) return Status::FailedPrecondition("clickhouse-server is already running");
    std::string config_arg = "--config-file=" + dir_.Sub("config.xml");
    std::string out = dir_.Sub("log/stdout.log");
    const std::string& dir = dir_.path();
    const pid_t parent = ::getpid();
    std::fflush(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) return Status::FromErrno("fork", errno);
    if (pid == 0) {
      // Only async-signal-safe calls between fork and exec.
      ::setpgid(0, 0);
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(126);  // the parent died before prctl
      int log = ::open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      if (log >= 0) {
        ::dup2(log, 1);
        ::dup2(log, 2);
      }
      if (::chdir(dir.c_str()) != 0) ::_exit(125);
      ::execl(binary_.c_str(), binary_.c_str(), config_arg.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::setpgid(pid, pid);  // also from the parent, so Kill() never races the child's setpgid
    pid_ = pid;
    return WaitReady();
  }

  // Kill() then StartAgain(): a crash and a recovery.
  Status Restart() {
    Kill();
    return StartAgain();
  }

  // The tail of the server's logs, for failure messages.
  std::string LogTail(size_t max = 3000) const {
    std::string text;
    for (const char* name : {"log/stdout.log", "log/server.err.log"}) {
      std::ifstream in(dir_.Sub(name));
      std::stringstream buffer;
      buffer << in.rdbuf();
      std::string content = buffer.str();
      if (content.size() > max) content = "..." + content.substr(content.size() - max);
      text += std::string("--- ") + name + ":\n" + content + "\n";
    }
    return text;
  }

 private:
  ClickHouseTestServer(ClickHouseTestServerOptions options, std::string binary)
      : options_(std::move(options)), binary_(std::move(binary)) {}

  static std::string ServerBinary() {
    const char* env = std::getenv("CLICKHOUSE_SERVER_BIN");
    return env != nullptr && *env != '\0' ? env : "/usr/sbin/clickhouse-server";
  }

  static std::string EscapeXml(const std::string& text) {
    std::string out;
    for (char c : text) {
      switch (c) {
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '&':
          out += "&amp;";
          break;
        case '"':
          out += "&quot;";
          break;
        default:
          out.push_back(c);
      }
    }
    return out;
  }

  // Free ports at this moment: all sockets are held at once, so they differ.
  static Status PickPorts(int count, std::vector<uint16_t>* ports) {
    std::vector<int> fds;
    Status status = Status::OK();
    for (int i = 0; i < count && status.ok(); ++i) {
      int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      socklen_t len = sizeof addr;
      if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
          ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        status = Status::FromErrno("picking a free port", errno);
      } else {
        ports->push_back(ntohs(addr.sin_port));
      }
      if (fd >= 0) fds.push_back(fd);
    }
    for (int fd : fds) ::close(fd);
    return status;
  }

  Status WriteConfig() {
    bool https = !options_.https_cert_file.empty() && !options_.https_key_file.empty();
    std::vector<uint16_t> ports;
    Status status = PickPorts(https ? 3 : 2, &ports);
    if (!status.ok()) return status;
    http_port_ = ports[0];
    tcp_port_ = ports[1];
    https_port_ = https ? ports[2] : 0;
    const std::string d = EscapeXml(dir_.path());
    for (const char* sub : {"data", "tmp", "user_files", "format_schemas", "log", "users.d"}) {
      std::filesystem::create_directories(dir_.Sub(sub));
    }
    std::ostringstream config;
    config << "<?xml version=\"1.0\"?>\n<yandex>\n"
           << "  <logger><level>information</level><log>" << d << "/log/server.log</log><errorlog>" << d
           << "/log/server.err.log</errorlog><console>0</console></logger>\n"
           << "  <listen_host>127.0.0.1</listen_host>\n"
           << "  <http_port>" << http_port_ << "</http_port>\n"
           << "  <tcp_port>" << tcp_port_ << "</tcp_port>\n";
    if (https) {
      config << "  <https_port>" << https_port_ << "</https_port>\n"
             << "  <openSSL><server><certificateFile>" << EscapeXml(options_.https_cert_file)
             << "</certificateFile><privateKeyFile>" << EscapeXml(options_.https_key_file)
             << "</privateKeyFile><verificationMode>none</verificationMode><loadDefaultCAFile>false"
                "</loadDefaultCAFile><cacheSessions>true</cacheSessions><disableProtocols>sslv2,sslv3"
                "</disableProtocols><preferServerCiphers>true</preferServerCiphers></server></openSSL>\n";
    }
    config << "  <path>" << d << "/data/</path><tmp_path>" << d << "/tmp/</tmp_path>\n"
           << "  <user_files_path>" << d << "/user_files/</user_files_path>\n"
           << "  <format_schema_path>" << d << "/format_schemas/</format_schema_path>\n"
           << "  <users_config>" << d << "/users.xml</users_config>\n"
           << "  <default_profile>default</default_profile><default_database>default</default_database>\n"
           << "  <timezone>UTC</timezone>\n"
           << "  <mark_cache_size>67108864</mark_cache_size><uncompressed_cache_size>67108864"
              "</uncompressed_cache_size>\n"
           << "  <max_concurrent_queries>50</max_concurrent_queries>\n"
           << "  <mlock_executable>false</mlock_executable>\n"
           << options_.remote_servers_xml << options_.zookeeper_xml << options_.extra_config_xml << "\n"
           << "</yandex>\n";
    std::ostringstream users;
    users << "<?xml version=\"1.0\"?>\n<yandex>\n"
          << "  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default>" << options_.extra_profiles
          << "</profiles>\n"
          << "  <users>\n"
          << "    <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile>"
             "<quota>default</quota></default>\n"
          << options_.extra_users << "\n  </users>\n"
          << "  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>"
             "<result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval>"
             "</default></quotas>\n"
          << "</yandex>\n";
    if (!(std::ofstream(dir_.Sub("config.xml")) << config.str()) ||
        !(std::ofstream(dir_.Sub("users.xml")) << users.str())) {
      return Status::IOError("cannot write the ClickHouse config into " + dir_.path());
    }
    for (const auto& [name, content] : options_.users_d) {
      if (!(std::ofstream(dir_.Sub("users.d/" + name)) << content)) {
        return Status::IOError("cannot write users.d/" + name);
      }
    }
    return Status::OK();
  }

  Status WaitReady() {
    clickhouse::ConnectionOptions connection = Connection();
    connection.timeout = std::chrono::milliseconds(500);
    clickhouse::Client client(connection);
    auto deadline = std::chrono::steady_clock::now() + options_.ready_timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return Status::Unavailable("clickhouse-server exited early (status " + std::to_string(status) + ")\n" +
                                   LogTail());
      }
      std::string answer;
      if (client.Query("SELECT 1", {}, &answer).ok() && answer == "1\n") return Status::OK();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    Kill();
    return Status::Unavailable("clickhouse-server did not answer SELECT 1 within " +
                               std::to_string(options_.ready_timeout.count()) + " s\n" + LogTail());
  }

  ClickHouseTestServerOptions options_;
  std::string binary_;
  TempDir dir_;
  pid_t pid_ = -1;
  uint16_t http_port_ = 0, https_port_ = 0, tcp_port_ = 0;
};

// One server per test binary, started on first use (from the main thread)
// and killed at exit. Null after a failed start, with a test failure that
// says why (every later call reports the same failure without retrying).
inline ClickHouseTestServer* SharedClickHouseServer() {
  static StatusOr<std::unique_ptr<ClickHouseTestServer>>* shared =
      new StatusOr<std::unique_ptr<ClickHouseTestServer>>(ClickHouseTestServer::Start());
  // Leaked on purpose, except for the server itself, killed at exit.
  static struct Reaper {
    ~Reaper() {
      if (shared->ok()) shared->value().reset();
    }
  } reaper;
  if (!shared->ok()) {
    ADD_FAILURE() << "cannot start the shared ClickHouse server: " << shared->status().ToString();
    return nullptr;
  }
  return shared->value().get();
}

}  // namespace otelstack::test
