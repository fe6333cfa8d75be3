// RunAndCrash: simulates a crash (kill -9) in a unit test.
//
// Runs `body` in a forked child process that then exits without closing
// anything: threads, buffers and open files vanish as in a crash. `body`
// returns 0 on success or the number of the step that failed, which the
// parent reports as a test failure.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

namespace otelstack::test {

template <typename Body>
void RunAndCrash(Body body) {
  fflush(nullptr);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) _exit(body());
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "child died abnormally";
  ASSERT_EQ(WEXITSTATUS(status), 0) << "child failed at step " << WEXITSTATUS(status);
}

}  // namespace otelstack::test
