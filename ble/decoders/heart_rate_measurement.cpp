#include "ble/decoders/heart_rate_measurement.hpp"

#include "ble/decoders/byte_order.hpp"

namespace wardgate::ble {

namespace {

constexpr std::uint8_t kFlagHrUint16 = 0x01;
constexpr std::uint8_t kFlagContactDetected = 0x02;
constexpr std::uint8_t kFlagContactSupported = 0x04;
constexpr std::uint8_t kFlagEnergyExpended = 0x08;
constexpr std::uint8_t kFlagRrPresent = 0x10;
constexpr std::uint16_t kUint8Max = 0xFF;
constexpr double kMsPerRawUnit = 1000.0 / 1024.0;

std::optional<bool> contactFromFlags(std::uint8_t flags) noexcept {
    if ((flags & kFlagContactSupported) == 0) {
        return std::nullopt;
    }
    return (flags & kFlagContactDetected) != 0;
}

}  // namespace

double HeartRateMeasurement::rrMs(std::size_t i) const noexcept {
    if (i >= rrRaw.size()) {
        return 0.0;
    }
    return static_cast<double>(rrRaw[i]) * kMsPerRawUnit;
}

DecodeResult<HeartRateMeasurement> decodeHeartRateMeasurement(
    std::span<const std::uint8_t> payload) noexcept {
    if (payload.empty()) {
        return DecodeError::Empty;
    }
    const std::uint8_t flags = payload[0];
    HeartRateMeasurement m;
    m.sensorContact = contactFromFlags(flags);

    // The RR offset depends on both the HR format and Energy Expended (BLE.md
    // §2.1: projects that looked at only one of them misread every RR).
    std::size_t at = 1;
    const bool hrUint16 = (flags & kFlagHrUint16) != 0;
    const std::size_t hrSize = hrUint16 ? 2 : 1;
    if (payload.size() < at + hrSize) {
        return DecodeError::Truncated;
    }
    m.heartRateBpm = hrUint16 ? detail::readU16Le(payload, at) : payload[at];
    at += hrSize;

    if ((flags & kFlagEnergyExpended) != 0) {
        if (payload.size() < at + 2) {
            return DecodeError::Truncated;
        }
        m.energyExpendedKj = detail::readU16Le(payload, at);
        at += 2;
    }

    if ((flags & kFlagRrPresent) != 0) {
        // A trailing odd byte is dropped (OpenStrap/protocol PR #34 review).
        m.rrRaw.reserve((payload.size() - at) / 2);
        for (; at + 2 <= payload.size(); at += 2) {
            m.rrRaw.push_back(detail::readU16Le(payload, at));
        }
    }
    return m;
}

std::vector<std::uint8_t> encodeHeartRateMeasurement(const HeartRateMeasurement& measurement,
                                                     bool uint16Format) {
    const bool hrUint16 = uint16Format || measurement.heartRateBpm > kUint8Max;
    std::uint8_t flags = hrUint16 ? kFlagHrUint16 : 0;
    if (measurement.sensorContact.has_value()) {
        flags |= kFlagContactSupported;
        if (*measurement.sensorContact) {
            flags |= kFlagContactDetected;
        }
    }
    if (measurement.energyExpendedKj.has_value()) {
        flags |= kFlagEnergyExpended;
    }
    if (!measurement.rrRaw.empty()) {
        flags |= kFlagRrPresent;
    }

    std::vector<std::uint8_t> out;
    out.reserve(5 + 2 * measurement.rrRaw.size());
    out.push_back(flags);
    if (hrUint16) {
        detail::appendU16Le(out, measurement.heartRateBpm);
    } else {
        out.push_back(static_cast<std::uint8_t>(measurement.heartRateBpm));
    }
    if (measurement.energyExpendedKj.has_value()) {
        detail::appendU16Le(out, *measurement.energyExpendedKj);
    }
    for (const std::uint16_t rr : measurement.rrRaw) {
        detail::appendU16Le(out, rr);
    }
    return out;
}

}  // namespace wardgate::ble
