#include "demo_captures.hpp"

#include "test_support.hpp"

namespace allervers::test {

core::Catalog demo_catalog() { return core::parse_catalog(read_file(assets_dir() / "demo/catalog.json")); }

core::Opinion demo_opinion(int n, const std::string& comment) {
  return core::Opinion{{{"frequence", std::string("parfois")},
                        {"satisfaction", std::int64_t{1 + n % 5}},
                        {"arbres", n % 2 == 0},
                        {"priorites", std::vector<std::string>{"ombre"}},
                        {"stationnement", std::int64_t{1 + (n / 5) % 5}},
                        {"commentaire", comment}}};
}

}  // namespace allervers::test
