#pragma once
// Enrolling the device from the staff screen: the enrolment QR code is read (camera or hand
// scanner) and handed to the enroller the program installed (allervers-kiosk: the sync
// client on its own thread), whose answer comes back through finished().
#include <functional>
#include <string>

#include "engine/context.hpp"

namespace allervers::app {

class Enrolment {
 public:
  explicit Enrolment(EngineContext& engine) : e_(engine), view_(engine.view) {}

  void open();  // staff: the enrolment screen
  void scanned(const std::string& code);
  void back();  // to the staff screen, unless the server is being asked
  void finished(bool ok, const std::string& message);
  bool wants_scanner() const;
  void set_enroller(std::function<void(const std::string&)> enroller) { enroller_ = std::move(enroller); }

 private:
  bool busy_or_done() const;

  EngineContext& e_;
  ViewState& view_;
  std::function<void(const std::string&)> enroller_;
};

}  // namespace allervers::app
