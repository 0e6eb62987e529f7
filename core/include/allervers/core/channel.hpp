#pragma once
// Where a capture was made: the channel of outreach. Captures carry it (docs/capture-format.md);
// a consultation may say on which channels it is offered (docs/consultation-format.md).
#include <optional>
#include <string>

namespace allervers::core {

// `web`: the residents' public pages (issue 13), never chosen on a device.
enum class Channel { door_to_door, market, kiosk, assembly, school, other, web };
const char* to_string(Channel channel);
std::optional<Channel> channel_from(const std::string& name);
inline constexpr Channel kAllChannels[] = {Channel::door_to_door, Channel::market, Channel::kiosk,
                                           Channel::assembly,     Channel::school, Channel::other,
                                           Channel::web};

}  // namespace allervers::core
