// A fixed set of worker threads running posted tasks, and SerialQueue, which
// runs its tasks one at a time in the order posted (on any worker). The hashing
// engine gives each SHA-256 context its own SerialQueue, so one context is fed
// in order while different contexts run on different cores.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace assay {

class ThreadPool {
 public:
  // threads == 0 means one per hardware thread.
  explicit ThreadPool(unsigned threads = 0);
  ~ThreadPool();  // finishes the tasks already posted, then joins
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Thread-safe. Tasks must not throw.
  void Post(std::function<void()> task);
  unsigned size() const { return static_cast<unsigned>(workers_.size()); }

 private:
  void Work();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

class SerialQueue {
 public:
  explicit SerialQueue(ThreadPool& pool) : pool_(pool) {}
  SerialQueue(const SerialQueue&) = delete;
  SerialQueue& operator=(const SerialQueue&) = delete;

  // Thread-safe. Each task starts after the previous one has finished, so tasks
  // may share state without locks. The queue must outlive its tasks.
  void Post(std::function<void()> task);
  // Blocks until every posted task has run and the queue no longer touches
  // itself, so the caller may then destroy it.
  void WaitUntilIdle();

 private:
  void Drain();

  ThreadPool& pool_;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> tasks_;
  bool draining_ = false;
};

}  // namespace assay
