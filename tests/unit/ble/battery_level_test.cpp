// Battery Level 0x2A19 decoder (shared notes BLE.md §2.2: uint8, 0..100 %).

#include "ble/decoders/battery_level.hpp"

#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

using wardgate::ble::decodeBatteryLevel;
using wardgate::ble::DecodeError;
using wardgate::ble::toString;
using Bytes = std::vector<std::uint8_t>;

TEST_CASE("0x2A19 decodes every level from 0 to 100 percent") {
    for (unsigned level = 0; level <= 100; ++level) {
        const auto result = decodeBatteryLevel(Bytes{static_cast<std::uint8_t>(level)});
        REQUIRE(result.ok());
        CHECK(result.value() == level);
    }
}

TEST_CASE("0x2A19 rejects levels above 100 percent as bad values") {
    for (unsigned level = 101; level <= 255; ++level) {
        const auto result = decodeBatteryLevel(Bytes{static_cast<std::uint8_t>(level)});
        REQUIRE_FALSE(result.ok());
        CHECK(result.error() == DecodeError::BadValue);
    }
}

TEST_CASE("0x2A19 rejects an empty value") {
    CHECK(decodeBatteryLevel(Bytes{}).error() == DecodeError::Empty);
}

TEST_CASE("decode errors have stable names for logs and metrics") {
    CHECK(toString(DecodeError::Empty) == "empty");
    CHECK(toString(DecodeError::Truncated) == "truncated");
    CHECK(toString(DecodeError::UnknownFormat) == "unknown-format");
    CHECK(toString(DecodeError::BadValue) == "bad-value");
}
