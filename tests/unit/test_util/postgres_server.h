// A throwaway PostgreSQL server for unit tests (Debian's postgresql-15;
// another install through env POSTGRES_BIN_DIR).
//
// Start() makes a cluster in a fresh temp dir (initdb once per machine into a
// cached template under $TMPDIR, copied per server: initdb costs a second and
// gtest_discover_tests runs every test in its own process), then runs
// postgres bound to 127.0.0.1 on a free port with its unix socket in the temp
// dir, fsync off, trust authentication for the superuser `postgres`. It
// returns once a connection succeeds (polled every 20 ms, no fixed sleep; 30 s
// at most). The destructor SIGTERMs postgres (smart shutdown would wait for
// clients; SIGINT is "fast"), waits for it, and removes the dir. The child asks
// for SIGKILL when its parent thread ends (PR_SET_PDEATHSIG).
//
// PostgreSQL refuses to run as root: when geteuid() == 0 the dir is chowned to
// the `postgres` system user (created by the Debian package) and initdb and
// postgres run as that user (setgid/setuid in the child before exec).
//
// When the binaries are missing, Start() fails with FailedPrecondition saying
// so; tests GTEST_SKIP on that (SharedPostgresServer()).
#pragma once

#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "test_util/temp_dir.h"

namespace otelstack::test {

class PostgresTestServer {
 public:
  static std::string BinDir() {
    const char* env = std::getenv("POSTGRES_BIN_DIR");
    return env != nullptr && *env != '\0' ? env : "/usr/lib/postgresql/15/bin";
  }

  static StatusOr<std::unique_ptr<PostgresTestServer>> Start() {
    const std::string bin = BinDir();
    for (const char* tool : {"initdb", "postgres"}) {
      std::string path = bin + "/" + tool;
      if (::access(path.c_str(), X_OK) != 0) {
        return Status::FailedPrecondition(path +
                                          " is not installed: run scripts/deps --test (Debian package postgresql)");
      }
    }
    std::unique_ptr<PostgresTestServer> server(new PostgresTestServer(bin));
    if (server->dir_.path().empty()) return Status::IOError("cannot create a temp dir");
    Status st = server->Prepare();
    if (!st.ok()) return st;
    st = server->Launch();
    if (!st.ok()) return st;
    return server;
  }

  ~PostgresTestServer() { Stop(); }
  PostgresTestServer(const PostgresTestServer&) = delete;
  PostgresTestServer& operator=(const PostgresTestServer&) = delete;

  uint16_t port() const { return port_; }
  const std::string& dir() const { return dir_.path(); }

  // postgresql://postgres@127.0.0.1:PORT/DB (trust authentication).
  std::string Url(const std::string& database = "postgres") const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
  }

  // Runs SQL (no parameters) on `database`; the status carries the error.
  Status Exec(const std::string& sql, const std::string& database = "postgres") const {
    PGconn* conn = PQconnectdb(Url(database).c_str());
    Status st = Status::OK();
    if (PQstatus(conn) != CONNECTION_OK) {
      st = Status::Unavailable(std::string("connect: ") + PQerrorMessage(conn));
    } else {
      PGresult* r = PQexec(conn, sql.c_str());
      ExecStatusType status = PQresultStatus(r);
      if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        st = Status::IOError(sql + ": " + PQresultErrorMessage(r));
      }
      PQclear(r);
    }
    PQfinish(conn);
    return st;
  }

  // Creates a fresh database and returns its URL.
  StatusOr<std::string> CreateDatabase() {
    static std::atomic<int> counter{0};
    std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    Status st = Exec("CREATE DATABASE " + name);
    if (!st.ok()) return st;
    return Url(name);
  }

  // Stops the server (fast shutdown) and reaps it; idempotent.
  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGINT);  // fast shutdown: roll back clients, then exit
    int status = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
  }

  std::string LogTail(size_t max = 3000) const {
    std::ifstream in(dir_.Sub("postgres.log"));
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    if (text.size() > max) text = "..." + text.substr(text.size() - max);
    return text;
  }

 private:
  explicit PostgresTestServer(std::string bin) : bin_(std::move(bin)) {}

  // Runs argv as the postgres user when root; returns its exit status.
  int RunAs(const std::vector<std::string>& argv, const std::string& log) const {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::fflush(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) return -1;
    if (pid == 0) {
      ChildSetup(log);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
  }

  // In a forked child: output to `log`, drop to the postgres user if root.
  // Only async-signal-safe calls.
  void ChildSetup(const std::string& log) const {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    if (run_as_uid_ >= 0) {
      if (::setgroups(0, nullptr) != 0 || ::setgid(static_cast<gid_t>(run_as_gid_)) != 0 ||
          ::setuid(static_cast<uid_t>(run_as_uid_)) != 0) {
        ::_exit(126);
      }
    }
  }

  Status Chown(const std::string& path) const {
    if (run_as_uid_ < 0) return Status::OK();
    if (::chown(path.c_str(), static_cast<uid_t>(run_as_uid_), static_cast<gid_t>(run_as_gid_)) != 0) {
      return Status::FromErrno("chown " + path, errno);
    }
    return Status::OK();
  }

  // A template cluster made by initdb once per machine and user, published
  // with rename(2) so concurrent test processes never see a half-made one.
  Status EnsureTemplate(std::string* template_dir) {
    const char* base = std::getenv("TMPDIR");
    std::string root = std::string(base != nullptr && *base != '\0' ? base : "/tmp");
    std::string name = "otelstack-pg-template-" + std::filesystem::path(bin_).parent_path().filename().string() + "-" +
                       std::to_string(::geteuid());
    *template_dir = root + "/" + name;
    if (::access((*template_dir + "/PG_VERSION").c_str(), R_OK) == 0) return Status::OK();
    std::string staging = dir_.Sub("template");
    std::filesystem::create_directories(staging);
    OTELSTACK_RETURN_IF_ERROR(Chown(staging));
    int status =
        RunAs({bin_ + "/initdb", "-D", staging, "-U", "postgres", "-A", "trust", "-N", "-E", "UTF8", "--locale=C"},
              dir_.Sub("initdb.log"));
    if (status != 0) {
      std::ifstream in(dir_.Sub("initdb.log"));
      std::stringstream buffer;
      buffer << in.rdbuf();
      return Status::IOError("initdb failed (status " + std::to_string(status) + "):\n" + buffer.str());
    }
    if (::rename(staging.c_str(), template_dir->c_str()) != 0 && errno != ENOTEMPTY && errno != EEXIST) {
      return Status::FromErrno("rename " + staging + " to " + *template_dir, errno);
    }
    std::error_code ec;
    std::filesystem::remove_all(staging, ec);  // left when another process won the rename
    return Status::OK();
  }

  Status Prepare() {
    if (::geteuid() == 0) {
      struct passwd* pw = ::getpwnam("postgres");
      if (pw == nullptr) {
        return Status::FailedPrecondition("running as root and there is no `postgres` user to run PostgreSQL as");
      }
      run_as_uid_ = static_cast<int>(pw->pw_uid);
      run_as_gid_ = static_cast<int>(pw->pw_gid);
    }
    OTELSTACK_RETURN_IF_ERROR(Chown(dir_.path()));
    std::string template_dir;
    OTELSTACK_RETURN_IF_ERROR(EnsureTemplate(&template_dir));
    // cp -a keeps the owner (root copies the postgres user's files).
    std::string data = dir_.Sub("data");
    int status = RunAs({"/bin/cp", "-a", template_dir, data}, dir_.Sub("copy.log"));
    if (status != 0) return Status::IOError("cannot copy the template cluster " + template_dir + " to " + data);
    return Status::OK();
  }

  static StatusOr<uint16_t> FreePort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      Status st = Status::FromErrno("picking a free port", errno);
      if (fd >= 0) ::close(fd);
      return st;
    }
    ::close(fd);
    return static_cast<uint16_t>(ntohs(addr.sin_port));
  }

  Status Launch() {
    auto port = FreePort();
    if (!port.ok()) return port.status();
    port_ = *port;
    std::vector<std::string> argv = {bin_ + "/postgres",
                                     "-D",
                                     dir_.Sub("data"),
                                     "-h",
                                     "127.0.0.1",
                                     "-p",
                                     std::to_string(port_),
                                     "-k",
                                     dir_.path(),
                                     "-c",
                                     "fsync=off",
                                     "-c",
                                     "synchronous_commit=off",
                                     "-c",
                                     "full_page_writes=off",
                                     "-c",
                                     "max_connections=200",
                                     "-c",
                                     "shared_buffers=32MB",
                                     // Dynamic shared memory in the data dir,
                                     // not /dev/shm: a server killed (SIGKILL)
                                     // leaves nothing behind outside the
                                     // temp dir.
                                     "-c",
                                     "dynamic_shared_memory_type=mmap"};
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const std::string log = dir_.Sub("postgres.log");
    const pid_t parent = ::getpid();
    std::fflush(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) return Status::FromErrno("fork", errno);
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(126);
      ChildSetup(log);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    pid_ = pid;
    return WaitReady();
  }

  Status WaitReady() {
    const std::string url = Url() + "?connect_timeout=2";
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return Status::Unavailable("postgres exited early (status " + std::to_string(status) + ")\n" + LogTail());
      }
      PGconn* conn = PQconnectdb(url.c_str());
      bool ok = PQstatus(conn) == CONNECTION_OK;
      PQfinish(conn);
      if (ok) return Status::OK();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Stop();
    return Status::Unavailable("postgres did not accept connections within 30 s\n" + LogTail());
  }

  std::string bin_;
  TempDir dir_;
  int run_as_uid_ = -1, run_as_gid_ = -1;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

// One server per test binary process, started on first use (from the main
// thread) and stopped at exit. Null when it cannot start: the caller skips
// (binaries missing) or fails (anything else) with the reason in *why.
inline PostgresTestServer* SharedPostgresServer(Status* why) {
  static StatusOr<std::unique_ptr<PostgresTestServer>>* shared =
      new StatusOr<std::unique_ptr<PostgresTestServer>>(PostgresTestServer::Start());
  static struct Reaper {
    ~Reaper() {
      if (shared->ok()) shared->value().reset();
    }
  } reaper;
  if (!shared->ok()) {
    *why = shared->status();
    return nullptr;
  }
  return shared->value().get();
}

// In a test body or SetUp: a fresh database URL on the shared server, or
// GTEST_SKIP when PostgreSQL is not installed / ADD_FAILURE otherwise.
#define OTELSTACK_POSTGRES_DATABASE_OR_SKIP(url_var)                                                     \
  std::string url_var;                                                                                   \
  do {                                                                                                   \
    ::otelstack::Status why_;                                                                            \
    auto* server_ = ::otelstack::test::SharedPostgresServer(&why_);                                      \
    if (server_ == nullptr) {                                                                            \
      if (why_.code() == ::otelstack::Status::Code::kFailedPrecondition) GTEST_SKIP() << why_.message(); \
      FAIL() << "cannot start PostgreSQL: " << why_.ToString();                                          \
    }                                                                                                    \
    auto made_ = server_->CreateDatabase();                                                              \
    ASSERT_TRUE(made_.ok()) << made_.status().ToString();                                                \
    url_var = *made_;                                                                                    \
  } while (0)

}  // namespace otelstack::test
