#include "tools/bandsim/bluez_names.hpp"

namespace wardgate::bandsim::bluez {

std::string currentSender(const sdbus::IObject& object) {
    const sdbus::Message* message = object.getCurrentlyProcessedMessage();
    return message != nullptr ? message->getSender() : std::string{};
}

}  // namespace wardgate::bandsim::bluez
