#pragma once
// GATT UUIDs the gateway uses, in the lower-case 128-bit text form that BlueZ
// shows in the UUID properties of Device1, GattService1 and
// GattCharacteristic1. Compare UUIDs from the bus against these constants; never
// look characteristics up by handle or object path (BLE.md, pitfall P6).
//
// The 16-bit SIG UUIDs expand with the Bluetooth Base UUID
// 0000xxxx-0000-1000-8000-00805f9b34fb. The wardgate sensor profile uses its
// own 128-bit base, documented in docs/sensor-profile.md.

#include <string_view>

namespace wardgate::ble::gatt {

// Bluetooth SIG, Heart Rate Service 0x180D and Heart Rate Measurement 0x2A37.
inline constexpr std::string_view kHeartRateService = "0000180d-0000-1000-8000-00805f9b34fb";
inline constexpr std::string_view kHeartRateMeasurement = "00002a37-0000-1000-8000-00805f9b34fb";

// Bluetooth SIG, Battery Service 0x180F and Battery Level 0x2A19.
inline constexpr std::string_view kBatteryService = "0000180f-0000-1000-8000-00805f9b34fb";
inline constexpr std::string_view kBatteryLevel = "00002a19-0000-1000-8000-00805f9b34fb";

// Bluetooth SIG, Device Information Service 0x180A.
inline constexpr std::string_view kDeviceInformationService =
    "0000180a-0000-1000-8000-00805f9b34fb";

// wardgate sensor profile, format 1 (docs/sensor-profile.md). The first group
// numbers the attribute: 0001 the service, 01xx one characteristic per SensorKind.
inline constexpr std::string_view kWardgateSensorService = "f31c0001-06fa-489e-8bbb-61ac0451bf18";
inline constexpr std::string_view kWardgateEdaBatch = "f31c0101-06fa-489e-8bbb-61ac0451bf18";

}  // namespace wardgate::ble::gatt
