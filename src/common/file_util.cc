#include "common/file_util.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

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

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
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
    int hi = HexValue(hex[2 * i]);
    int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    (*out)[i] = static_cast<char>((hi << 4) | lo);
  }
  return true;
}

}  // namespace otelstack
