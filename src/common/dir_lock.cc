#include "common/dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

namespace otelstack {

Status DirLock::Acquire(const std::string& dir, std::unique_ptr<DirLock>* out) {
  std::string path = dir + "/LOCK";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::FromErrno("open " + path, errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Status::FailedPrecondition("data directory " + dir +
                                        " is in use by another otelstack server (lock " + path + ")");
    }
    return Status::FromErrno("lock " + path, err);
  }
  out->reset(new DirLock(fd));
  return Status::OK();
}

DirLock::~DirLock() { ::close(fd_); }

}  // namespace otelstack
