#include "engine/enrolment.hpp"

namespace allervers::app {

void Enrolment::open() {
  if (!e_.on_staff_screen()) return;
  view_.enrol = {};
  view_.screen = Screen::enrol;
}

bool Enrolment::busy_or_done() const {
  return view_.enrol.state == EnrolView::State::working || view_.enrol.state == EnrolView::State::done;
}

void Enrolment::scanned(const std::string& code) {
  if (view_.screen != Screen::enrol || busy_or_done()) return;
  if (!enroller_) {  // a program without a sync client: the screen says enrolment cannot run here
    view_.enrol = {EnrolView::State::failed, ""};
    return;
  }
  view_.enrol = {EnrolView::State::working, ""};
  enroller_(code);
}

void Enrolment::back() {
  if (view_.screen == Screen::enrol && view_.enrol.state != EnrolView::State::working) view_.screen = Screen::staff;
}

void Enrolment::finished(bool ok, const std::string& message) {
  view_.enrol.state = ok ? EnrolView::State::done : EnrolView::State::failed;
  view_.enrol.message = message;
  if (ok) {
    e_.reload_catalog();
    e_.refresh_status();
  }
}

bool Enrolment::wants_scanner() const { return view_.screen == Screen::enrol && !busy_or_done(); }

}  // namespace allervers::app
