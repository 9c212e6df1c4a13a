#pragma once
// Value types of the BlueZ session's public API (see ble/bluez_session.hpp).
// Nothing here names BlueZ or D-Bus, so the daemon can use them freely.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "ble/band_address.hpp"
#include "ble/decoders/decode_result.hpp"
#include "ble/decoders/heart_rate_measurement.hpp"
#include "ble/decoders/sensor_batch.hpp"

namespace wardgate::ble {

// A device BlueZ currently knows about (seen in discovery, or paired earlier).
struct DiscoveredBand {
    BandAddress address;
    std::string name;                  // Name, else Alias, else empty
    std::optional<std::int16_t> rssi;  // dBm; only while adverts are being received
    bool paired = false;
};

// The per-band link state machine, in order. Streaming means every subscribed
// characteristic has notifications enabled.
enum class LinkState : std::uint8_t { Disconnected, Connecting, Resolving, Subscribing, Streaming };

// Lower-case names ("streaming") for logs and metrics.
[[nodiscard]] std::string_view toString(LinkState state) noexcept;

// Which signals to subscribe to; the daemon derives it from consent, and
// nothing that is false here is ever subscribed. Battery is always read.
struct Subscriptions {
    bool heartRate = true;
    bool eda = false;

    friend bool operator==(const Subscriptions&, const Subscriptions&) = default;
};

// Callbacks, all invoked on the io_context's thread. An exception thrown by one
// is caught, logged and dropped. Empty functions are skipped. `arrival` is the
// host's monotonic time when the notification was taken off the bus (0x2A37
// carries no timestamp of its own; BLE.md §2.1).
struct BluezEvents {
    std::function<void(const BandAddress&, const HeartRateMeasurement&,
                       std::chrono::steady_clock::time_point arrival)>
        heartRate;
    std::function<void(const BandAddress&, const SensorBatch&,
                       std::chrono::steady_clock::time_point arrival)>
        sensorBatch;
    std::function<void(const BandAddress&, std::uint8_t percent)> battery;
    std::function<void(const BandAddress&, LinkState)> linkState;
    std::function<void(const BandAddress&, DecodeError)> malformed;
};

}  // namespace wardgate::ble
