#pragma once
// The server's schema steps, in order (schema.cpp).
#include <span>

#include "allervers/server/sql.hpp"

namespace allervers::server {

std::span<const sql::SchemaStep> schema_steps();

}  // namespace allervers::server
