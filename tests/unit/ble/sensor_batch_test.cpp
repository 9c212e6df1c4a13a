// wardgate sensor profile batch, format 1 (docs/sensor-profile.md). The golden
// vector below was laid out by hand from the byte table in that document.

#include "ble/decoders/sensor_batch.hpp"

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

using wardgate::ble::DecodeError;
using wardgate::ble::decodeSensorBatch;
using wardgate::ble::encodeSensorBatch;
using wardgate::ble::SensorBatch;
using wardgate::ble::SensorKind;
using Bytes = std::vector<std::uint8_t>;

namespace {

// Format 1, EDA, sequence 0x0102, device time 0x0A0B0C0D ms, 4.00 Hz (400 =
// 0x0190), two samples: 12345 (1.2345 µS) and 0x000186A0 = 100000 (10 µS).
const Bytes kGoldenEda{0x01, 0x01, 0x02, 0x01, 0x0D, 0x0C, 0x0B, 0x0A, 0x90, 0x01,
                       0x02, 0x39, 0x30, 0x00, 0x00, 0xA0, 0x86, 0x01, 0x00};

SensorBatch sampleBatch(std::size_t count) {
    SensorBatch batch;
    batch.kind = SensorKind::Eda;
    batch.sequence = 65535;
    batch.deviceTimeMs = 4294967295U;
    batch.sampleRateHz = 100.0;
    for (std::size_t i = 0; i < count; ++i) {
        batch.values.push_back(0.05 + 0.0137 * static_cast<double>(i));
    }
    return batch;
}

}  // namespace

TEST_CASE("EDA batch golden vector decodes field by field") {
    const auto result = decodeSensorBatch(kGoldenEda);
    REQUIRE(result.ok());
    const auto& batch = result.value();
    CHECK(batch.kind == SensorKind::Eda);
    CHECK(batch.sequence == 0x0102);
    CHECK(batch.deviceTimeMs == 0x0A0B0C0DU);
    CHECK(batch.sampleRateHz == Approx(4.0).margin(1e-12));
    REQUIRE(batch.values.size() == 2);
    CHECK(batch.values[0] == Approx(1.2345).margin(1e-12));
    CHECK(batch.values[1] == Approx(10.0).margin(1e-12));
    CHECK(encodeSensorBatch(batch) == kGoldenEda);
}

TEST_CASE("EDA batch round-trips within the 0.0001 uS resolution for every size") {
    for (std::size_t count : {std::size_t{1}, std::size_t{4}, std::size_t{60}, std::size_t{255}}) {
        CAPTURE(count);
        const SensorBatch batch = sampleBatch(count);
        const Bytes bytes = encodeSensorBatch(batch);
        CHECK(bytes.size() == 11 + 4 * count);
        const auto decoded = decodeSensorBatch(bytes);
        REQUIRE(decoded.ok());
        CHECK(decoded.value().sequence == batch.sequence);
        CHECK(decoded.value().deviceTimeMs == batch.deviceTimeMs);
        CHECK(decoded.value().sampleRateHz == Approx(100.0).margin(1e-12));
        REQUIRE(decoded.value().values.size() == count);
        for (std::size_t i = 0; i < count; ++i) {
            CHECK(decoded.value().values[i] == Approx(batch.values[i]).margin(0.00005));
        }
    }
}

TEST_CASE("EDA batch truncated at every length is an error, never a crash") {
    const Bytes full = encodeSensorBatch(sampleBatch(5));
    for (std::size_t length = 0; length < full.size(); ++length) {
        CAPTURE(length);
        const auto result = decodeSensorBatch(std::span<const std::uint8_t>(full.data(), length));
        REQUIRE_FALSE(result.ok());
        CHECK(result.error() == (length == 0 ? DecodeError::Empty : DecodeError::Truncated));
    }
}

TEST_CASE("EDA batch with bytes after its samples is a bad value") {
    Bytes bytes = kGoldenEda;
    bytes.push_back(0x00);
    CHECK(decodeSensorBatch(bytes).error() == DecodeError::BadValue);
}

TEST_CASE("EDA batch with zero samples or a zero sample rate is a bad value") {
    Bytes noSamples(kGoldenEda.begin(), kGoldenEda.begin() + 11);
    noSamples[10] = 0;
    CHECK(decodeSensorBatch(noSamples).error() == DecodeError::BadValue);

    Bytes noRate = kGoldenEda;
    noRate[8] = 0;
    noRate[9] = 0;
    CHECK(decodeSensorBatch(noRate).error() == DecodeError::BadValue);
}

TEST_CASE("sensor batch with an unknown format or kind is an unknown format") {
    Bytes format2 = kGoldenEda;
    format2[0] = 2;
    CHECK(decodeSensorBatch(format2).error() == DecodeError::UnknownFormat);

    Bytes kind9 = kGoldenEda;
    kind9[1] = 9;
    CHECK(decodeSensorBatch(kind9).error() == DecodeError::UnknownFormat);
}

TEST_CASE("EDA batch encoder clamps out-of-range values and rejects bad batches") {
    SensorBatch batch = sampleBatch(3);
    batch.values = {-1.0, std::numeric_limits<double>::quiet_NaN(), 1e12};
    const auto decoded = decodeSensorBatch(encodeSensorBatch(batch));
    REQUIRE(decoded.ok());
    CHECK(decoded.value().values[0] == 0.0);
    CHECK(decoded.value().values[1] == 0.0);
    CHECK(decoded.value().values[2] == Approx(429496.7295).margin(1e-6));

    CHECK_THROWS_AS(encodeSensorBatch(sampleBatch(0)), std::invalid_argument);
    CHECK_THROWS_AS(encodeSensorBatch(sampleBatch(256)), std::invalid_argument);
    SensorBatch noRate = sampleBatch(1);
    noRate.sampleRateHz = 0.0;
    CHECK_THROWS_AS(encodeSensorBatch(noRate), std::invalid_argument);
}
