#include "allervers/app/view_state.hpp"

#include "allervers/core/names.hpp"

namespace allervers::app {

namespace {

// The names scripts and tests use (`expect survey`), and translation keys' middles (`idea.title.hint`).
constexpr core::EnumName<Screen> kScreenNames[] = {
    {Screen::staff, "staff"}, {Screen::welcome, "welcome"}, {Screen::consultation_choice, "consultation_choice"},
    {Screen::activity_choice, "activity_choice"}, {Screen::survey, "survey"}, {Screen::idea, "idea"},
    {Screen::thanks, "thanks"}, {Screen::pin, "pin"}, {Screen::sign_in, "sign_in"},
    {Screen::sign_in_form, "sign_in_form"}, {Screen::pass_issued, "pass_issued"}, {Screen::enrol, "enrol"},
    {Screen::vote, "vote"}, {Screen::vote_results, "vote_results"},
    {Screen::follow, "follow"}};

constexpr core::EnumName<VoteStep> kVoteStepNames[] = {
    {VoteStep::identify, "identify"}, {VoteStep::age, "age"}, {VoteStep::choose, "choose"},
    {VoteStep::summary, "summary"}, {VoteStep::refused, "refused"}};

constexpr core::EnumName<IdeaStep> kIdeaStepNames[] = {
    {IdeaStep::title, "title"}, {IdeaStep::description, "description"}, {IdeaStep::theme, "theme"},
    {IdeaStep::neighbourhood, "neighbourhood"}, {IdeaStep::place, "place"}, {IdeaStep::cost, "cost"},
    {IdeaStep::contact_offer, "contact_offer"}, {IdeaStep::consent, "consent"}, {IdeaStep::contact, "contact"}};

}  // namespace

const char* to_string(Screen screen) { return core::name_of(kScreenNames, screen); }
std::optional<Screen> screen_named(std::string_view name) { return core::value_named(kScreenNames, name); }
const char* to_string(VoteStep step) { return core::name_of(kVoteStepNames, step); }
const char* to_string(IdeaStep step) { return core::name_of(kIdeaStepNames, step); }

}  // namespace allervers::app
