// WorkerPool: a fixed set of threads running blocking handlers, with a
// bounded queue so that overload is refused rather than queued forever.
//
// TrySubmit accepts a task only if an idle thread can take it or the queue
// of waiting tasks is shorter than `queue_limit`; the caller answers 503
// otherwise. Shutdown runs every accepted task, then joins the threads.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace otelstack::http {

class WorkerPool {
 public:
  // `thread_name` (at most 15 characters) names the threads for debuggers.
  WorkerPool(int threads, size_t queue_limit, std::string thread_name);
  ~WorkerPool();  // Shutdown()

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // False (and `task` dropped) when the pool is saturated or shut down.
  bool TrySubmit(std::function<void()> task);
  // Finishes the accepted tasks and joins the threads. Idempotent.
  void Shutdown();

 private:
  void Run();

  const size_t queue_limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  size_t idle_;                              // threads not running a task; guarded by mu_
  bool shutting_down_ = false;               // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace otelstack::http
