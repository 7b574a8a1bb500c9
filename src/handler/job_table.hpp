// The one table of work the module keeps between two calls of the trigger,
// under a handle the trigger only passes back: a Job that plan() made, until
// finish; a render waiting for the codec module, until resume. Handles are
// never 0 ("no job"). Locked: finish and resume run on a transform thread,
// plan and drop on the thread that owns the module.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <utility>
#include <variant>

#include "handler/prepare.hpp"
#include "handler/render.hpp"

namespace vips_edge {

// A render waiting for the codec module's encode or decode.
struct PendingRender {
  Job job;
  ResponseMeta meta;  // the response head decided when the origin answered
  msg::Log log;
  std::variant<PendingEncode, PendingDecode> stage;
};

class JobTable {
 public:
  using Entry = std::variant<Job, PendingRender>;

  std::uint32_t keep(Entry entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (++last_ == 0) ++last_;
    entries_.insert_or_assign(last_, std::move(entry));
    return last_;
  }

  // The entry under `handle` if it is a T, removed; nullopt (and nothing
  // removed) for a handle never given out, already taken, or of the other kind.
  template <class T>
  std::optional<T> take(std::uint32_t handle) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(handle);
    if (it == entries_.end() || !std::holds_alternative<T>(it->second)) return std::nullopt;
    T value = std::get<T>(std::move(it->second));
    entries_.erase(it);
    return value;
  }

  void drop(std::uint32_t handle) {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_.erase(handle);
  }

  std::size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::uint32_t, Entry> entries_;  // a handful at most
  std::uint32_t last_ = 0;
};

}  // namespace vips_edge
