// Heart Rate Measurement 0x2A37 decoder. Golden vectors follow the SIG layout
// as summarised in shared notes BLE.md §2.1; each was worked out by hand from
// that table.

#include "ble/decoders/heart_rate_measurement.hpp"

#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

using wardgate::ble::DecodeError;
using wardgate::ble::decodeHeartRateMeasurement;
using wardgate::ble::encodeHeartRateMeasurement;
using wardgate::ble::HeartRateMeasurement;
using Bytes = std::vector<std::uint8_t>;

TEST_CASE("0x2A37 with uint8 HR and one RR decodes to 72 bpm and 1000 ms") {
    const Bytes payload{0x10, 0x48, 0x00, 0x04};
    const auto result = decodeHeartRateMeasurement(payload);
    REQUIRE(result.ok());
    const auto& m = result.value();
    CHECK(m.heartRateBpm == 72);
    CHECK_FALSE(m.sensorContact.has_value());
    CHECK_FALSE(m.energyExpendedKj.has_value());
    REQUIRE(m.rrRaw == std::vector<std::uint16_t>{1024});
    CHECK(m.rrMs(0) == Approx(1000.0).margin(1e-9));
}

TEST_CASE("0x2A37 with two RRs keeps them in payload order") {
    const Bytes payload{0x16, 0x40, 0x00, 0x04, 0x66, 0x03};
    const auto result = decodeHeartRateMeasurement(payload);
    REQUIRE(result.ok());
    const auto& m = result.value();
    CHECK(m.heartRateBpm == 64);
    REQUIRE(m.sensorContact.has_value());
    CHECK(*m.sensorContact);
    REQUIRE(m.rrRaw == std::vector<std::uint16_t>{1024, 870});
    CHECK(m.rrMs(1) == Approx(849.609375).margin(1e-9));
}

TEST_CASE("0x2A37 with Energy Expended reads the RR after the energy field") {
    const Bytes payload{0x18, 0x48, 0x34, 0x12, 0x00, 0x04};
    const auto result = decodeHeartRateMeasurement(payload);
    REQUIRE(result.ok());
    CHECK(result.value().heartRateBpm == 72);
    CHECK(result.value().energyExpendedKj == std::uint16_t{0x1234});
    CHECK(result.value().rrRaw == std::vector<std::uint16_t>{1024});
}

TEST_CASE("0x2A37 with a uint16 HR decodes 300 bpm") {
    const Bytes payload{0x01, 0x2C, 0x01};
    const auto result = decodeHeartRateMeasurement(payload);
    REQUIRE(result.ok());
    CHECK(result.value().heartRateBpm == 300);
    CHECK(result.value().rrRaw.empty());
}

TEST_CASE("0x2A37 golden vectors cut short are rejected as truncated") {
    CHECK(decodeHeartRateMeasurement(Bytes{}).error() == DecodeError::Empty);
    CHECK(decodeHeartRateMeasurement(Bytes{0x10}).error() == DecodeError::Truncated);
    CHECK(decodeHeartRateMeasurement(Bytes{0x01, 0x2C}).error() == DecodeError::Truncated);
    CHECK(decodeHeartRateMeasurement(Bytes{0x18, 0x48}).error() == DecodeError::Truncated);
    CHECK(decodeHeartRateMeasurement(Bytes{0x18, 0x48, 0x34}).error() == DecodeError::Truncated);
    CHECK(decodeHeartRateMeasurement(Bytes{0x19, 0x48, 0x00, 0x34}).error() ==
          DecodeError::Truncated);
}

TEST_CASE("0x2A37 drops a trailing odd byte after the RR intervals") {
    const Bytes payload{0x10, 0x48, 0x00, 0x04, 0x66};
    const auto result = decodeHeartRateMeasurement(payload);
    REQUIRE(result.ok());
    CHECK(result.value().rrRaw == std::vector<std::uint16_t>{1024});
}

TEST_CASE("0x2A37 with the RR flag but no RR bytes has no intervals") {
    const auto result = decodeHeartRateMeasurement(Bytes{0x10, 0x48});
    REQUIRE(result.ok());
    CHECK(result.value().rrRaw.empty());
}

TEST_CASE("0x2A37 ignores the reserved flag bits") {
    const auto result = decodeHeartRateMeasurement(Bytes{0xF0, 0x48, 0x00, 0x04});
    REQUIRE(result.ok());
    CHECK(result.value().heartRateBpm == 72);
    CHECK(result.value().rrRaw == std::vector<std::uint16_t>{1024});
}

TEST_CASE("0x2A37 contact bit1 without the supported bit2 means unsupported") {
    const auto result = decodeHeartRateMeasurement(Bytes{0x02, 0x48});
    REQUIRE(result.ok());
    CHECK_FALSE(result.value().sensorContact.has_value());
}

namespace {

// Builds the payload for a flags byte by hand from the SIG table, with
// distinctive field values, so the decoder is checked against an independent
// layout rather than against the encoder.
Bytes handBuiltPayload(std::uint8_t flags) {
    Bytes payload{flags};
    if ((flags & 0x01U) != 0) {
        payload.insert(payload.end(), {0x2C, 0x01});  // 300 bpm
    } else {
        payload.push_back(0x48);  // 72 bpm
    }
    if ((flags & 0x08U) != 0) {
        payload.insert(payload.end(), {0x34, 0x12});
    }
    if ((flags & 0x10U) != 0) {
        payload.insert(payload.end(), {0x00, 0x04, 0x66, 0x03, 0xFF, 0xFF});
    }
    return payload;
}

}  // namespace

TEST_CASE("0x2A37 every combination of the five defined flags decodes and round-trips") {
    for (unsigned flagBits = 0; flagBits < 32; ++flagBits) {
        const auto flags = static_cast<std::uint8_t>(flagBits);
        CAPTURE(flagBits);
        const Bytes payload = handBuiltPayload(flags);
        const auto decoded = decodeHeartRateMeasurement(payload);
        REQUIRE(decoded.ok());
        const auto& m = decoded.value();

        const bool hr16 = (flags & 0x01U) != 0;
        CHECK(m.heartRateBpm == (hr16 ? 300 : 72));
        if ((flags & 0x04U) != 0) {
            CHECK(m.sensorContact == std::optional<bool>{(flags & 0x02U) != 0});
        } else {
            CHECK_FALSE(m.sensorContact.has_value());
        }
        CHECK(m.energyExpendedKj.has_value() == ((flags & 0x08U) != 0));
        const bool rr = (flags & 0x10U) != 0;
        CHECK(m.rrRaw ==
              (rr ? std::vector<std::uint16_t>{1024, 870, 65535} : std::vector<std::uint16_t>{}));

        const auto reencoded = decodeHeartRateMeasurement(encodeHeartRateMeasurement(m, hr16));
        REQUIRE(reencoded.ok());
        CHECK(reencoded.value() == m);
    }
}

TEST_CASE("0x2A37 every truncation of a full payload is an error or a shorter RR list") {
    for (unsigned flagBits = 0; flagBits < 32; ++flagBits) {
        const Bytes full = handBuiltPayload(static_cast<std::uint8_t>(flagBits));
        const std::size_t headerBytes =
            1U + ((flagBits & 0x01U) != 0 ? 2U : 1U) + ((flagBits & 0x08U) != 0 ? 2U : 0U);
        for (std::size_t length = 0; length < full.size(); ++length) {
            CAPTURE(flagBits, length);
            const auto result =
                decodeHeartRateMeasurement(std::span<const std::uint8_t>(full.data(), length));
            if (length < headerBytes) {
                REQUIRE_FALSE(result.ok());
                CHECK(result.error() ==
                      (length == 0 ? DecodeError::Empty : DecodeError::Truncated));
            } else {
                REQUIRE(result.ok());
                CHECK(result.value().rrRaw.size() == (length - headerBytes) / 2);
            }
        }
    }
}

TEST_CASE("0x2A37 encoder switches to uint16 above 255 bpm") {
    HeartRateMeasurement m;
    m.heartRateBpm = 256;
    const Bytes bytes = encodeHeartRateMeasurement(m);
    CHECK(bytes == Bytes{0x01, 0x00, 0x01});
}

TEST_CASE("0x2A37 rrMs outside the list is zero, never garbage") {
    const HeartRateMeasurement m;
    CHECK(m.rrMs(0) == 0.0);
}
