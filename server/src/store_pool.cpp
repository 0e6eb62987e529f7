#include "allervers/server/store_pool.hpp"

namespace allervers::server {

StorePool::Lease::~Lease() {
  if (store_ && !failed_) pool_.release(std::move(store_));
}

std::unique_ptr<ServerStore> StorePool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto s = std::move(idle_.back());
      idle_.pop_back();
      return s;
    }
  }
  return open_();
}

void StorePool::release(std::unique_ptr<ServerStore> store) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(store));
}

}  // namespace allervers::server
