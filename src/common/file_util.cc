#include "common/file_util.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>

#include "common/ascii.h"

namespace otelstack {

namespace {

// Closes the descriptor on scope exit unless released.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  // Closes now and reports the error close() may return (e.g. deferred write errors).
  int Close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

Status MakeOneDir(const std::string& path, mode_t mode) {
  if (::mkdir(path.c_str(), mode) == 0) return Status::OK();
  int err = errno;
  if (err == EEXIST) {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return Status::OK();
    return Status::IOError("mkdir " + path + ": exists and is not a directory");
  }
  return Status::FromErrno("mkdir " + path, err);
}

}  // namespace

Status EnsureDir(const std::string& path, mode_t mode) {
  if (path.empty()) return Status::InvalidArgument("EnsureDir: empty path");
  // Create each missing ancestor, left to right.
  for (size_t pos = path.find('/', 1); pos != std::string::npos; pos = path.find('/', pos + 1)) {
    if (path[pos - 1] == '/') continue;  // "a//b"
    OTELSTACK_RETURN_IF_ERROR(MakeOneDir(path.substr(0, pos), 0755));
  }
  OTELSTACK_RETURN_IF_ERROR(MakeOneDir(path, mode));
  if (::chmod(path.c_str(), mode) != 0) return Status::FromErrno("chmod " + path, errno);
  return Status::OK();
}

Status WriteFileAtomic(const std::string& path, std::string_view contents, mode_t mode) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Status::FromErrno("open " + tmp, errno);
  FdCloser closer(fd);
  auto fail = [&](std::string_view what, int err) {
    ::unlink(tmp.c_str());
    return Status::FromErrno(std::string(what) + " " + tmp, err);
  };
  // O_CREAT's mode is filtered by the umask and ignored for an existing file.
  if (::fchmod(fd, mode) != 0) return fail("fchmod", errno);
  size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write", errno);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("fsync", errno);
  if (closer.Close() != 0) return fail("close", errno);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Status::FromErrno("rename " + tmp + " to " + path, err);
  }
  return FsyncDir(DirName(path));
}

Status ReadFile(const std::string& path, std::string* out) {
  out->clear();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open " + path, errno);
  FdCloser closer(fd);
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno("read " + path, errno);
    }
    if (n == 0) break;
    out->append(buf, static_cast<size_t>(n));
  }
  return Status::OK();
}

Status FsyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open directory " + dir, errno);
  FdCloser closer(fd);
  if (::fsync(fd) != 0) return Status::FromErrno("fsync directory " + dir, errno);
  return Status::OK();
}

std::string DirName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status RandomBytes(size_t n, std::string* out) {
  out->assign(n, '\0');
  if (n == 0) return Status::OK();
  if (n > static_cast<size_t>(INT_MAX)) return Status::InvalidArgument("RandomBytes: request too large");
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out->data()), static_cast<int>(n)) != 1) {
    out->clear();
    return Status::Internal("RAND_bytes failed: the random generator could not be seeded");
  }
  return Status::OK();
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.resize(bytes.size() * 2);
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto b = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = kDigits[b >> 4];
    out[2 * i + 1] = kDigits[b & 0x0f];
  }
  return out;
}

bool HexDecode(std::string_view hex, std::string* out) {
  if (hex.size() % 2 != 0) return false;
  out->resize(hex.size() / 2);
  for (size_t i = 0; i < out->size(); ++i) {
    int hi = HexDigitValue(hex[2 * i]);
    int lo = HexDigitValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    (*out)[i] = static_cast<char>((hi << 4) | lo);
  }
  return true;
}

StatusOr<std::string> ReadPrivateFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return Status::NotFound(path + " does not exist");
    return Status::FromErrno("open " + path, err);
  }
  struct stat st;
  int stat_rc = ::fstat(fd, &st);
  int stat_err = errno;
  ::close(fd);
  if (stat_rc != 0) return Status::FromErrno("stat " + path, stat_err);
  if (!S_ISREG(st.st_mode)) return Status::FailedPrecondition(path + " is not a regular file");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status::PermissionDenied(
        path + " has mode " + mode +
        " and is accessible by group or others; refusing to use it. Fix it with: chmod 600 " + path);
  }
  std::string text;
  OTELSTACK_RETURN_IF_ERROR(ReadFile(path, &text));
  return text;
}

}  // namespace otelstack
