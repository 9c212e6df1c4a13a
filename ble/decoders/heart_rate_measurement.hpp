#pragma once
// Heart Rate Measurement, Bluetooth SIG characteristic 0x2A37 (Heart Rate
// Service 0x180D). Layout and rules: shared notes BLE.md §2.1, after the SIG
// GATT specification `org.bluetooth.characteristic.heart_rate_measurement`.
//
//   byte 0        flags: bit0 HR is uint16 (else uint8); bit2 sensor-contact feature
//                 supported, bit1 contact detected (meaningful only with bit2);
//                 bit3 Energy Expended present; bit4 RR intervals present;
//                 bits 5-7 reserved (ignored)
//   1 or 1-2      heart rate, bpm, uint8 or uint16 LE
//   next 2        Energy Expended, kJ, uint16 LE          (bit3)
//   rest          RR intervals, uint16 LE, 1/1024 s each    (bit4), oldest first
//
// Threading: pure functions over their arguments; callable from any thread.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "ble/decoders/decode_result.hpp"

namespace wardgate::ble {

struct HeartRateMeasurement {
    std::uint16_t heartRateBpm = 0;
    // nullopt when the band does not support contact detection (flags bit2 clear);
    // otherwise whether skin contact was detected (bit1).
    std::optional<bool> sensorContact;
    std::optional<std::uint16_t> energyExpendedKj;
    // RR intervals as sent, in 1/1024 s, in payload order (oldest first). May be
    // empty: a strap notifying at 1 Hz sends zero to several per notification.
    std::vector<std::uint16_t> rrRaw;

    // rrRaw[i] in milliseconds (raw * 1000 / 1024). Returns 0.0 when
    // i >= rrRaw.size().
    [[nodiscard]] double rrMs(std::size_t i) const noexcept;

    friend bool operator==(const HeartRateMeasurement&, const HeartRateMeasurement&) = default;
};

// Decodes one 0x2A37 notification.
// Errors: Empty for no bytes; Truncated when the payload is shorter than its
// flags require (heart rate, Energy Expended). A trailing odd byte after the RR
// intervals is dropped, not an error. Reserved flag bits are ignored.
// Terminates only if allocating the RR vector fails (noexcept).
[[nodiscard]] DecodeResult<HeartRateMeasurement> decodeHeartRateMeasurement(
    std::span<const std::uint8_t> payload) noexcept;

// Encodes a measurement as a band would (for the band simulator and tests).
// The heart rate uses the uint16 format when uint16Format is true or when it
// exceeds 255. Sets bit4 only when rrRaw is non-empty. The caller keeps the
// payload within its ATT MTU; nothing is split here.
[[nodiscard]] std::vector<std::uint8_t> encodeHeartRateMeasurement(
    const HeartRateMeasurement& measurement, bool uint16Format = false);

}  // namespace wardgate::ble
