#pragma once
// Every size limit of a capture, in one place, each with its reason. Lengths are in
// characters (Unicode code points), not bytes.
#include <cstddef>
#include <cstdint>

namespace allervers::core::limits {

// A short free-text answer: a sentence or two said at a door; a question may lower it.
inline constexpr std::size_t short_text = 500;
// An idea's title fits on one line of the coordinators' review list and the public vote page.
inline constexpr std::size_t idea_title_min = 3;
inline constexpr std::size_t idea_title = 120;
// An idea's description: a page of text is plenty to explain a proposal.
inline constexpr std::size_t idea_description_min = 10;
inline constexpr std::size_t idea_description = 4000;
// A place name or address ("square Jean-Moulin, près de l'école").
inline constexpr std::size_t idea_place = 200;
// The default ceiling for an estimated cost; a consultation may set its own.
inline constexpr std::int64_t idea_cost_eur = 10'000'000;
// A contact sealed for the office (a few hundred bytes of e-mail/phone, encrypted, base64).
inline constexpr std::size_t sealed_contact_bytes = 4096;
// A pass id as stored with a sign-in (the pass's random id, not the whole code).
inline constexpr std::size_t pass_id = 128;
// A capture dated further ahead than this is a broken clock, not a resident.
inline constexpr std::int64_t future_skew_ms = 24LL * 3600 * 1000;
// Nothing was captured before the project existed: earlier dates are a reset clock.
inline constexpr std::int64_t earliest_capture_ms = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
// A capture line or record in a batch, as JSON: anything bigger is not a capture.
inline constexpr std::size_t capture_json_bytes = 64 * 1024;

}  // namespace allervers::core::limits
