#pragma once
// Database connections shared by the handlers of one serving process: one is borrowed per
// request and given back after, unless the request failed on it (its state is then unknown,
// and it is closed). Each connection is used by one thread at a time (store.hpp).
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "allervers/server/store.hpp"

namespace allervers::server {

class StorePool {
 public:
  using Opener = std::function<std::unique_ptr<ServerStore>()>;
  explicit StorePool(Opener open) : open_(std::move(open)) {}

  class Lease {
   public:
    explicit Lease(StorePool& pool) : pool_(pool), store_(pool.acquire()) {}
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ServerStore& operator*() { return *store_; }
    ServerStore* operator->() { return store_.get(); }
    void failed() { failed_ = true; }  // do not give it back

   private:
    StorePool& pool_;
    std::unique_ptr<ServerStore> store_;
    bool failed_ = false;
  };

 private:
  std::unique_ptr<ServerStore> acquire();
  void release(std::unique_ptr<ServerStore> store);
  Opener open_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<ServerStore>> idle_;
};

}  // namespace allervers::server
