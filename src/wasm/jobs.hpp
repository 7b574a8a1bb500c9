// The Jobs plan() made, kept between plan and finish under a handle: finish
// gets back exactly what plan decided (request, spec, origin) and the trigger
// only passes a number it cannot turn into anything else. Used from the
// thread that owns the module only (plan, finish_async, drop), so no lock.
#pragma once

#include <cstdint>
#include <optional>
#include <map>
#include <utility>

#include "handler/prepare.hpp"

namespace vips_edge {

class Jobs {
 public:
  std::uint32_t keep(Job job) {
    if (++last_ == 0) ++last_;  // 0 means "no job"
    jobs_.insert_or_assign(last_, std::move(job));
    return last_;
  }

  // The job, removed; nullopt for a handle never given out or already taken.
  std::optional<Job> take(std::uint32_t handle) {
    auto it = jobs_.find(handle);
    if (it == jobs_.end()) return std::nullopt;
    Job job = std::move(it->second);
    jobs_.erase(it);
    return job;
  }

 private:
  std::map<std::uint32_t, Job> jobs_;  // a handful at most; std::map is linked anyway, a hash table would add code
  std::uint32_t last_ = 0;
};

}  // namespace vips_edge
