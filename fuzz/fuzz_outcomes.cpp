// The outcomes of ideas and ballots as a device reads them (GET /api/v1/outcomes), and each
// idea's entry as the device keeps it and reads it back for the follow screen.
#include "allervers/sync/protocol.hpp"
#include "harness.hpp"

using namespace allervers;
namespace protocol = sync::protocol;

ALLERVERS_FUZZ_TARGET(outcomes) {
  const std::string body(fuzz::text_of(data, size));
  try {
    const auto outcomes = protocol::decode_outcomes(body);
    for (const auto& idea : outcomes.ideas) {
      const auto back = protocol::decode_idea_outcome(protocol::encode_idea_outcome(idea));
      fuzz::require(back.key == idea.key && back.state == idea.state && back.milestones.size() == idea.milestones.size(),
                    "an idea's entry does not read back as written");
    }
    const auto again = protocol::decode_outcomes(protocol::encode_outcomes(outcomes));
    fuzz::require(again.ideas.size() == outcomes.ideas.size() && again.ballots.size() == outcomes.ballots.size(),
                  "the document does not read back as written");
  } catch (const protocol::ProtocolError&) {
  }
  return 0;
}
