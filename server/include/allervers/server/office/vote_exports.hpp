#pragma once
// A vote's results as files for the office: CSV for French Excel (";" separated, a BOM, one
// row per project: envelope, project, cost, votes, winner) and XLSX (the same rows, then
// participation by channel and by device, then the flagged later ballots with both devices).
// Labels in French; quartiers named from the town's catalog.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "allervers/core/consultation.hpp"
#include "allervers/server/store/votes.hpp"

namespace allervers::server {

std::string vote_results_csv(const core::Vote& vote, const VoteCount& count, const core::Town& town);
// The workbook's bytes (made in a temporary file under `work_dir`, read back, removed); the
// flagged ballots' times written by `town_time` (UTC ms → "03/12/2026 18:30" in the town).
std::string vote_results_xlsx(const core::Vote& vote, const VoteCount& count, const core::Town& town,
                              const std::function<std::string(std::int64_t)>& town_time, const std::filesystem::path& work_dir);

}  // namespace allervers::server
