#pragma once
// The keys under which a device finds what became of a receipt code without holding the codes
// themselves (docs/protocol.md, "GET /api/v1/outcomes"; docs/security.md, "What a kiosk holds
// of ideas and ballots"). The server computes them when it sends the outcomes down; the kiosk
// computes them from the code a resident types or scans, and looks the result up.
//
// Each key is the first 36 bits (9 hex digits) of BLAKE2b: a receipt code has 40 bits, so each
// key stands for about 16 codes. Whoever reads a kiosk's database, even trying every code,
// learns only that one of those 16 was given — not the list of codes handed out. The price: a
// code nobody was given answers as a real one once in 2^36 / n (n the codes held: once in
// 690,000 tries for 100,000 ballots), which the screens accept (a mistyped code almost always
// finds nothing).
#include <string>

namespace allervers::passes {

inline constexpr std::size_t kOutcomeKeyHexDigits = 9;

// An idea's receipt code in its canonical form (core::read_receipt_code: "K7QM-2XHD").
std::string idea_outcome_key(const std::string& receipt);
// A ballot's receipt code in its stored form (core::normal_receipt: 8 characters, no dash),
// keyed by its vote's voter_key (32 bytes of hex, as in the catalog), so a key of one vote
// says nothing of another.
std::string ballot_outcome_key(const std::string& voter_key, const std::string& receipt);

}  // namespace allervers::passes
