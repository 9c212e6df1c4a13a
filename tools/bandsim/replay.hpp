#pragma once
// What one simulated band produces, one second of recording time at a time.
// Pure: no clock, no bus. The caller decides when a recording second has
// passed and whether anybody is subscribed to receive it.
//
// Recording second i covers recording time [offset + i, offset + i + 1).
// Heart rate: one 0x2A37 measurement per second carrying every RR interval
// whose beat fell in that second (zero to several), HR = round(60000 / mean RR),
// sensor contact supported and detected; a second without beats repeats the
// last heart rate; seconds before the first beat and after the last produce
// nothing.
// EDA: every sample of the second, split into batches of at most 60, each
// batch numbered with the next sequence number (wrapping at 65536).
// Battery: 100 % at the start, 1 % less per hour of recording time.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "ble/decoders/heart_rate_measurement.hpp"
#include "ble/decoders/sensor_batch.hpp"
#include "tools/bandsim/recording.hpp"

namespace wardgate::bandsim {

struct ReplaySecond {
    std::optional<ble::HeartRateMeasurement> heartRate;
    std::vector<ble::SensorBatch> edaBatches;
    std::uint8_t batteryPercent = 100;
};

class Replay {
  public:
    Replay(std::vector<RrSample> rr, std::optional<EdaRecording> eda, double offsetS);

    // Produces recording second secondsDone() and advances to the next.
    [[nodiscard]] ReplaySecond next();

    [[nodiscard]] std::size_t secondsDone() const noexcept { return secondsDone_; }
    [[nodiscard]] std::uint8_t batteryPercent() const noexcept;
    [[nodiscard]] bool hasEda() const noexcept { return eda_.has_value(); }

    // RR interval in 1/1024 s as a strap sends it: lround(ms * 1024 / 1000),
    // clamped to 0..65535.
    [[nodiscard]] static std::uint16_t rrRawFromMs(double rrMs) noexcept;

  private:
    [[nodiscard]] std::optional<ble::HeartRateMeasurement> heartRateUntil(double endS);
    [[nodiscard]] std::vector<ble::SensorBatch> edaBatchesUntil(double endS);

    std::vector<RrSample> rr_;
    std::optional<EdaRecording> eda_;
    double offsetS_;
    std::size_t rrNext_ = 0;
    std::size_t edaNext_ = 0;
    std::size_t secondsDone_ = 0;
    std::optional<std::uint16_t> lastHeartRate_;
    std::uint16_t edaSequence_ = 0;
};

}  // namespace wardgate::bandsim
