// Long-lived threads for finish(): a job queue served by as many threads as
// jobs have ever run at once. In Emscripten every thread start and exit is a
// round trip through the JS main thread (a pool Worker is handed over, then
// recycled); a thread per request paid that on every transform.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

namespace vips_edge {

class TransformThreads {
 public:
  void post(std::function<void()> job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(std::move(job));
      // Every queued job needs a thread that is waiting for work.
      if (jobs_.size() > idle_) std::thread([this] { serve(); }).detach();
    }
    ready_.notify_one();
  }

 private:
  [[noreturn]] void serve() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      ++idle_;
      ready_.wait(lock, [this] { return !jobs_.empty(); });
      --idle_;
      std::function<void()> job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      job();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  std::size_t idle_ = 0;  // threads waiting in serve()
};

}  // namespace vips_edge
