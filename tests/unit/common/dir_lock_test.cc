#include "common/dir_lock.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include "test_util/temp_dir.h"

namespace otelstack {
namespace {

TEST(DirLockTest, SecondProcessIsRefusedUntilReleased) {
  test::TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::string& dir = tmp.path();
  auto try_in_child = [&]() {
    pid_t pid = fork();
    if (pid == 0) {
      std::unique_ptr<DirLock> lock;
      _exit(DirLock::Acquire(dir, &lock).ok() ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WEXITSTATUS(status) == 0;
  };
  {
    std::unique_ptr<DirLock> lock;
    ASSERT_TRUE(DirLock::Acquire(dir, &lock).ok());
    EXPECT_FALSE(try_in_child());  // flock is per open file: another process is refused
  }
  EXPECT_TRUE(try_in_child());  // released with the object
}

}  // namespace
}  // namespace otelstack
