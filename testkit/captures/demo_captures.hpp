#pragma once
// Captures for the demo catalog (assets/demo/catalog.json), made the same way by the tests
// and benchmarks of every room.
#include <string>

#include "allervers/core/capture.hpp"
#include "allervers/core/consultation.hpp"

namespace allervers::test {

core::Catalog demo_catalog();

// Valid answers to the demo square consultation ("place-jean-jaures" version 1); `n` varies
// them, `comment` is the free-text answer.
core::Opinion demo_opinion(int n, const std::string& comment);

}  // namespace allervers::test
