#pragma once
// Battery Level, Bluetooth SIG characteristic 0x2A19 (Battery Service 0x180F):
// one uint8, percent, 0..100 (BLE.md §2.2). Pure; callable from any thread.

#include <cstdint>
#include <span>

#include "ble/decoders/decode_result.hpp"

namespace wardgate::ble {

// Errors: Empty for no bytes; BadValue for a level above 100. Bytes after the
// first are ignored (the SIG format is exactly one byte, but a longer value
// is not worth dropping a reading over).
[[nodiscard]] DecodeResult<std::uint8_t> decodeBatteryLevel(
    std::span<const std::uint8_t> payload) noexcept;

}  // namespace wardgate::ble
