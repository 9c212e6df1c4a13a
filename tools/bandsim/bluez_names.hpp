#pragma once
// Names and errors exactly as bluetoothd 5.66 uses them on D-Bus (doc/*-api.txt
// and src/error.c at tag 5.66), shared by the fake objects.

#include <chrono>
#include <string>

#include <sdbus-c++/sdbus-c++.h>

namespace wardgate::bandsim::bluez {

using Clock = std::chrono::steady_clock;

inline constexpr const char* kBusName = "org.bluez";
inline constexpr const char* kRootPath = "/org/bluez";
inline constexpr const char* kAdapterPath = "/org/bluez/hci0";

inline constexpr const char* kAgentManager = "org.bluez.AgentManager1";
inline constexpr const char* kAdapter = "org.bluez.Adapter1";
inline constexpr const char* kDevice = "org.bluez.Device1";
inline constexpr const char* kGattService = "org.bluez.GattService1";
inline constexpr const char* kGattCharacteristic = "org.bluez.GattCharacteristic1";

// Throws the D-Bus error reply org.bluez.Error.<name> with BlueZ's message text.
[[noreturn]] inline void fail(const std::string& name, const std::string& message) {
    throw sdbus::Error("org.bluez.Error." + name, message);
}

// The unique bus name of the caller of the method being handled.
[[nodiscard]] std::string currentSender(const sdbus::IObject& object);

}  // namespace wardgate::bandsim::bluez
