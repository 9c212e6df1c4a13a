#include "ble/bluez_agent.hpp"

#include <cstdint>

#include <sdbus-c++/sdbus-c++.h>
#include <spdlog/spdlog.h>

#include "ble/bluez_names.hpp"

namespace wardgate::ble::detail {

namespace {

[[noreturn]] void reject(const char* why) {
    throw sdbus::Error(kErrorRejected, why);
}

}  // namespace

BluezAgent::BluezAgent(sdbus::IConnection& connection)
    : object_(sdbus::createObject(connection, kAgentPath)) {
    registerMethods();
}

BluezAgent::~BluezAgent() = default;

void BluezAgent::registerMethods() {
    auto& o = *object_;
    o.registerMethod("Release").onInterface(kAgentInterface).implementedAs([] {});
    o.registerMethod("Cancel").onInterface(kAgentInterface).implementedAs([] {
        spdlog::info("ble: pairing request cancelled by BlueZ");
    });
    o.registerMethod("RequestPinCode")
        .onInterface(kAgentInterface)
        .implementedAs(
            [](const sdbus::ObjectPath&) -> std::string { reject("no input capability"); });
    o.registerMethod("DisplayPinCode")
        .onInterface(kAgentInterface)
        .implementedAs(
            [](const sdbus::ObjectPath&, const std::string&) { reject("no display capability"); });
    o.registerMethod("RequestPasskey")
        .onInterface(kAgentInterface)
        .implementedAs(
            [](const sdbus::ObjectPath&) -> std::uint32_t { reject("no input capability"); });
    o.registerMethod("DisplayPasskey")
        .onInterface(kAgentInterface)
        .implementedAs([](const sdbus::ObjectPath&, std::uint32_t, std::uint16_t) {});
    o.registerMethod("RequestConfirmation")
        .onInterface(kAgentInterface)
        .implementedAs(
            [this](const sdbus::ObjectPath& device, std::uint32_t) { requireExpected(device); });
    o.registerMethod("RequestAuthorization")
        .onInterface(kAgentInterface)
        .implementedAs([this](const sdbus::ObjectPath& device) { requireExpected(device); });
    o.registerMethod("AuthorizeService")
        .onInterface(kAgentInterface)
        .implementedAs([this](const sdbus::ObjectPath& device, const std::string&) {
            requireExpected(device);
        });
    o.finishRegistration();
}

void BluezAgent::requireExpected(const std::string& devicePath) const {
    if (pairing_.count(devicePath) == 0) {
        spdlog::warn("ble: rejected an unsolicited pairing request");
        reject("not pairing with this device");
    }
}

}  // namespace wardgate::ble::detail
