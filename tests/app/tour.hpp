#pragma once
// A tour of every screen the app has, in the states a person meets them in (empty, answered,
// refused, with a long text, under an overlay), at one window size and text size. At each
// stop the visitor is called with the harness and the stop's name: the layout checker walks
// what was drawn (test_layout.cpp), in every language and theme.
#include <functional>
#include <string>

#include "harness.hpp"

namespace allervers::test {

struct TourSize {
  float width = 1280, height = 800;
  float text_scale = 1.0f;
  std::string language = "fr";  // the residents' screens, and the staff's (the device's language)
  bool high_contrast = false;
};

using Visit = std::function<void(Harness& h, const std::string& where)>;

// A field agent's tablet: the agent home, the quit question, the PIN, the choices, a whole
// survey, a whole idea with its refusals, the thank-you.
void tour_agent(const TourSize& size, const Visit& visit);
// A lobby kiosk: the countdown over a question, the PIN locked, the kiosk settings.
void tour_kiosk(const TourSize& size, const Visit& visit);
// The assembly desk: the list, the verdicts, a fallback code, the form, the issued pass,
// enrolment.
void tour_desk(const TourSize& size, const Visit& visit);

// The vote booth: the activity choice offering the vote, the pass (no camera, a refusal, the
// fallback code), the age, the basket (empty, refused, full), the summary, the receipt, a
// refusal that ends the booth, and the welcome after a vote left half-way.
void tour_vote(const TourSize& size, const Visit& visit);

}  // namespace allervers::test
