#pragma once
// BlueZ and D-Bus names used by the session. Internal to ble/: nothing outside
// this folder may name org.bluez or one of its object paths.

namespace wardgate::ble::detail {

inline constexpr const char* kBluezService = "org.bluez";
inline constexpr const char* kBluezRoot = "/org/bluez";
inline constexpr const char* kAdapterInterface = "org.bluez.Adapter1";
inline constexpr const char* kDeviceInterface = "org.bluez.Device1";
inline constexpr const char* kServiceInterface = "org.bluez.GattService1";
inline constexpr const char* kCharacteristicInterface = "org.bluez.GattCharacteristic1";
inline constexpr const char* kAgentManagerInterface = "org.bluez.AgentManager1";
inline constexpr const char* kAgentInterface = "org.bluez.Agent1";
inline constexpr const char* kErrorRejected = "org.bluez.Error.Rejected";
inline constexpr const char* kErrorInProgress = "org.bluez.Error.InProgress";
inline constexpr const char* kErrorAlreadyConnected = "org.bluez.Error.AlreadyConnected";
inline constexpr const char* kErrorAlreadyExists = "org.bluez.Error.AlreadyExists";

inline constexpr const char* kObjectManagerInterface = "org.freedesktop.DBus.ObjectManager";
inline constexpr const char* kPropertiesInterface = "org.freedesktop.DBus.Properties";
inline constexpr const char* kDbusService = "org.freedesktop.DBus";

// Where this process exports its pairing agent (BLE.md §1.5).
inline constexpr const char* kAgentPath = "/org/wardgate/agent";

}  // namespace wardgate::ble::detail
