#include "allervers/app/sign_in_history.hpp"

#include "allervers/storage/device_store.hpp"

namespace allervers::app {

std::optional<core::Instant> StoreSignInHistory::first_sign_in(std::string_view assembly, std::string_view pass) const {
  return store_.first_sign_in(std::string(assembly), std::string(pass));
}

}  // namespace allervers::app
