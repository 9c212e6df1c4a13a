#include "ble/decoders/battery_level.hpp"

namespace wardgate::ble {

namespace {
constexpr std::uint8_t kMaxPercent = 100;
}  // namespace

DecodeResult<std::uint8_t> decodeBatteryLevel(std::span<const std::uint8_t> payload) noexcept {
    if (payload.empty()) {
        return DecodeError::Empty;
    }
    if (payload[0] > kMaxPercent) {
        return DecodeError::BadValue;
    }
    return payload[0];
}

}  // namespace wardgate::ble
