// Captures in a loop, one durable transaction each, printing each id only after add()
// returned. The crash test kills it with SIGKILL at a random moment.
#include <cstdio>
#include <iostream>

#include "allervers/core/validation.hpp"
#include "allervers/storage/device_store.hpp"
#include "store_fixture.hpp"

int main(int argc, char** argv) {
  using namespace allervers;
  if (argc != 2) return 2;
  auto store = storage::DeviceStore::open(argv[1]);
  core::UuidGenerator ids;
  for (int n = 0;; ++n) {
    const auto capture = test::sample_opinion(ids, store.identity().device, n);
    store.add(test::valid(capture, store.catalog()));
    std::printf("%s\n", capture.id.str().c_str());
    std::fflush(stdout);
  }
}
