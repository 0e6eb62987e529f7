#pragma once
// The device database's failures are sqlite/'s: the same kinds (corrupt, locked, read-only,
// full, too new, …), with storage's own messages for what is the device's (no device there,
// a device already there, an id held with other content).
#include "allervers/sqlite/error.hpp"

namespace allervers::storage {

using StorageError = sqlite::Error;

}  // namespace allervers::storage
