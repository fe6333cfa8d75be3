// DirLock: an exclusive advisory lock (flock) on <dir>/LOCK, held for the
// lifetime of the object, so that two servers never write one data
// directory. Readers such as `otelstack search` do not take it.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace otelstack {

class DirLock {
 public:
  // FailedPrecondition when another process holds the lock.
  static Status Acquire(const std::string& dir, std::unique_ptr<DirLock>* out);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace otelstack
