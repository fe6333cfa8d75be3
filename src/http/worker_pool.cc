#include "http/worker_pool.h"

#include <pthread.h>

namespace otelstack::http {

WorkerPool::WorkerPool(int threads, size_t queue_limit, std::string thread_name)
    : queue_limit_(queue_limit), idle_(threads > 0 ? static_cast<size_t>(threads) : 0) {
  if (thread_name.size() > 15) thread_name.resize(15);
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this, thread_name] {
      pthread_setname_np(pthread_self(), thread_name.c_str());
      Run();
    });
  }
}

WorkerPool::~WorkerPool() { Shutdown(); }

bool WorkerPool::TrySubmit(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    // Queued tasks go to idle threads first (idle_ counts threads not running
    // a task, including those about to pick one up): beyond that, at most
    // queue_limit_ tasks wait.
    if (shutting_down_ || queue_.size() >= idle_ + queue_limit_) return false;
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

void WorkerPool::Shutdown() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    shutting_down_ = true;
  }
  cv_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void WorkerPool::Run() {
  std::unique_lock<std::mutex> lk(mu_);
  while (true) {
    cv_.wait(lk, [this] { return shutting_down_ || !queue_.empty(); });
    if (queue_.empty()) return;  // shutting down with nothing left to run
    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    --idle_;
    lk.unlock();
    task();
    task = nullptr;  // release captured state before counting as idle again
    lk.lock();
    ++idle_;
  }
}

}  // namespace otelstack::http
