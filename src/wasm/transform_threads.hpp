// Long-lived threads for init and finish(): a job queue served by as many
// threads as jobs have ever run at once (one, for the trigger, which runs one
// call at a time). In Emscripten every thread start is a round trip through
// the thread that owns the module (a pool Worker is handed over); a thread
// per request paid that on every transform.
//
// A job returns what reports its result, and that runs only once the thread
// counts as idle again: the caller may post its next job the moment it hears
// back, and must find this thread waiting rather than start another.
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
  using Report = std::function<void()>;
  using Job = std::function<Report()>;

  // At least one thread, started now rather than by the first job.
  void start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (threads_ == 0) spawn();
  }

  void post(Job job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(std::move(job));
      // Every queued job needs a thread that is waiting for work.
      if (jobs_.size() > idle_) spawn();
    }
    ready_.notify_one();
  }

 private:
  void spawn() {  // under mutex_
    ++threads_;
    ++idle_;  // waiting for work as soon as it runs
    std::thread([this] { serve(); }).detach();
  }

  [[noreturn]] void serve() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      ready_.wait(lock, [this] { return !jobs_.empty(); });
      --idle_;
      Job job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      Report report = job();
      lock.lock();
      ++idle_;  // idle from here: the report may bring the next job at once
      lock.unlock();
      if (report) report();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> jobs_;
  std::size_t threads_ = 0;
  std::size_t idle_ = 0;  // threads waiting for a job, or about to
};

}  // namespace vips_edge
