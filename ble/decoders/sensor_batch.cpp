#include "ble/decoders/sensor_batch.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "ble/decoders/byte_order.hpp"

namespace wardgate::ble {

namespace {

constexpr std::size_t kFormatAt = 0;
constexpr std::size_t kKindAt = 1;
constexpr std::size_t kSequenceAt = 2;
constexpr std::size_t kDeviceTimeAt = 4;
constexpr std::size_t kRateAt = 8;
constexpr std::size_t kCountAt = 10;
constexpr double kCentiHzPerHz = 100.0;
constexpr double kEdaUnitsPerMicrosiemens = 10000.0;
constexpr std::size_t kMaxCount = std::numeric_limits<std::uint8_t>::max();

bool isKnownKind(std::uint8_t kind) noexcept {
    return kind == static_cast<std::uint8_t>(SensorKind::Eda);
}

std::uint32_t edaToUnits(double microsiemens) noexcept {
    const double units = std::round(microsiemens * kEdaUnitsPerMicrosiemens);
    if (!(units > 0.0)) {  // also catches NaN
        return 0;
    }
    constexpr auto kMax = std::numeric_limits<std::uint32_t>::max();
    return units >= static_cast<double>(kMax) ? kMax : static_cast<std::uint32_t>(units);
}

std::uint16_t rateToCentiHz(double hz) {
    const double centi = std::round(hz * kCentiHzPerHz);
    if (!(centi >= 1.0 && centi <= std::numeric_limits<std::uint16_t>::max())) {
        throw std::invalid_argument("sensor batch sample rate must be 0.01..655.35 Hz");
    }
    return static_cast<std::uint16_t>(centi);
}

}  // namespace

DecodeResult<SensorBatch> decodeSensorBatch(std::span<const std::uint8_t> payload) noexcept {
    if (payload.empty()) {
        return DecodeError::Empty;
    }
    if (payload.size() < kSensorBatchHeaderBytes) {
        return DecodeError::Truncated;
    }
    if (payload[kFormatAt] != kSensorBatchFormat || !isKnownKind(payload[kKindAt])) {
        return DecodeError::UnknownFormat;
    }

    const std::uint16_t centiHz = detail::readU16Le(payload, kRateAt);
    const std::size_t count = payload[kCountAt];
    const std::size_t expected = kSensorBatchHeaderBytes + count * kEdaSampleBytes;
    if (payload.size() < expected) {
        return DecodeError::Truncated;
    }
    if (payload.size() > expected || centiHz == 0 || count == 0) {
        return DecodeError::BadValue;
    }

    SensorBatch batch;
    batch.kind = static_cast<SensorKind>(payload[kKindAt]);
    batch.sequence = detail::readU16Le(payload, kSequenceAt);
    batch.deviceTimeMs = detail::readU32Le(payload, kDeviceTimeAt);
    batch.sampleRateHz = centiHz / kCentiHzPerHz;
    batch.values.reserve(count);
    for (std::size_t at = kSensorBatchHeaderBytes; at < expected; at += kEdaSampleBytes) {
        batch.values.push_back(detail::readU32Le(payload, at) / kEdaUnitsPerMicrosiemens);
    }
    return batch;
}

std::vector<std::uint8_t> encodeSensorBatch(const SensorBatch& batch) {
    if (batch.kind != SensorKind::Eda) {
        throw std::invalid_argument("sensor batch kind is not supported by format 1");
    }
    if (batch.values.empty() || batch.values.size() > kMaxCount) {
        throw std::invalid_argument("sensor batch must hold 1..255 values");
    }
    const std::uint16_t centiHz = rateToCentiHz(batch.sampleRateHz);

    std::vector<std::uint8_t> out;
    out.reserve(kSensorBatchHeaderBytes + batch.values.size() * kEdaSampleBytes);
    out.push_back(kSensorBatchFormat);
    out.push_back(static_cast<std::uint8_t>(batch.kind));
    detail::appendU16Le(out, batch.sequence);
    detail::appendU32Le(out, batch.deviceTimeMs);
    detail::appendU16Le(out, centiHz);
    out.push_back(static_cast<std::uint8_t>(batch.values.size()));
    for (const double value : batch.values) {
        detail::appendU32Le(out, edaToUnits(value));
    }
    return out;
}

}  // namespace wardgate::ble
