// Outcome keys (outcome_keys.hpp): truncated BLAKE2b of the receipt code, domain-separated.
#include "allervers/passes/outcome_keys.hpp"

#include "allervers/crypto/hash.hpp"
#include "allervers/passes/voter.hpp"

namespace allervers::passes {

std::string idea_outcome_key(const std::string& receipt) {
  return crypto::hash_hex("allervers idea outcome v1\n" + receipt, 16).substr(0, kOutcomeKeyHexDigits);
}

std::string ballot_outcome_key(const std::string& voter_key, const std::string& receipt) {
  const auto key = voter_key_bytes(voter_key);
  return crypto::hash_hex("allervers ballot outcome v1\n" + receipt, 16, key).substr(0, kOutcomeKeyHexDigits);
}

}  // namespace allervers::passes
