#pragma once
// Media in the catalog: pictures of a vote's projects and pictograms of questions and options,
// named by the SHA-256 of their bytes (64 lower-case hex characters). The bytes travel
// separately (GET /api/v1/media/HASH, docs/protocol.md): a device fetches the names it does
// not hold yet and keeps a file only when its bytes hash to its name. The name alone says
// nothing about the content, so core needs no decoder: sync/media.hpp checks the images.
#include <string>
#include <string_view>
#include <vector>

namespace allervers::core {

struct Catalog;

// 64 characters of 0-9 a-f.
bool is_media_hash(std::string_view text);

// Every media name the catalog refers to (projects' pictures of its votes, pictograms of the
// current versions of its consultations, their options and idea themes), each once, sorted.
// A pictogram still given as a file name (a catalog not yet published through the server) is
// not a media name and is left out.
std::vector<std::string> media_hashes(const Catalog& catalog);

}  // namespace allervers::core
