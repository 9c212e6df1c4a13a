#pragma once
// wardgate sensor profile, batch format 1: the payload of every notification on
// a wardgate sensor characteristic (docs/sensor-profile.md, byte by byte).
//
//   0      u8   format (1)
//   1      u8   kind (SensorKind)
//   2-3    u16  sequence number, +1 per batch on this characteristic, wraps 65535 -> 0
//   4-7    u32  device time of the first sample, ms since band boot, wraps
//   8-9    u16  sample rate, units of 0.01 Hz, > 0
//   10     u8   sample count n, > 0
//   11..   n samples; EDA: u32 each, units of 0.0001 µS
//
// All fields little-endian. Pure functions; callable from any thread.

#include <cstdint>
#include <span>
#include <vector>

#include "ble/decoders/decode_result.hpp"

namespace wardgate::ble {

enum class SensorKind : std::uint8_t {
    Eda = 1,
    // Reserved for later kinds, each with its own sample layout
    // (docs/sensor-profile.md): 2 Accel, 3 SkinTemp, 4 SleepEpoch.
};

struct SensorBatch {
    SensorKind kind = SensorKind::Eda;
    std::uint16_t sequence = 0;
    std::uint32_t deviceTimeMs = 0;  // first sample, ms since band boot (wraps)
    double sampleRateHz = 0.0;       // resolution 0.01 Hz
    std::vector<double> values;      // EDA: skin conductance in µS, resolution 0.0001 µS
};

inline constexpr std::uint8_t kSensorBatchFormat = 1;
inline constexpr std::size_t kSensorBatchHeaderBytes = 11;
inline constexpr std::size_t kEdaSampleBytes = 4;
// What a wardgate band puts in one batch at most: 11 + 60 * 4 = 251 bytes, so a
// batch fits one notification whenever the ATT MTU is at least 254.
inline constexpr std::size_t kMaxSamplesPerBatch = 60;

// Errors: Empty for no bytes; Truncated when shorter than the header or than
// the sample count requires; UnknownFormat for a format other than 1 or an
// unknown kind; BadValue for a zero sample rate, a zero sample count or bytes
// left over after the samples (format 1 batches have an exact size).
// Terminates only if allocating the value vector fails (noexcept).
[[nodiscard]] DecodeResult<SensorBatch> decodeSensorBatch(
    std::span<const std::uint8_t> payload) noexcept;

// Encodes a batch as a band would (for the band simulator and tests). Values are
// rounded to 0.0001 µS and clamped to [0, 429496.7295] µS (NaN becomes 0); the
// sample rate is rounded to 0.01 Hz. Throws std::invalid_argument for an empty
// batch, more than 255 values, an unknown kind or a sample rate that rounds
// outside 0.01..655.35 Hz.
[[nodiscard]] std::vector<std::uint8_t> encodeSensorBatch(const SensorBatch& batch);

}  // namespace wardgate::ble
