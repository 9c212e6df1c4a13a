#include "tools/bandsim/replay.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace wardgate::bandsim {

namespace {

constexpr std::uint8_t kFullBattery = 100;
constexpr std::size_t kSecondsPerPercent = 3600;
constexpr double kMsPerMinute = 60000.0;
constexpr double kRawPerMs = 1024.0 / 1000.0;
constexpr double kMsPerS = 1000.0;
// The band had been running this long when the recording starts, so device
// times are not suspiciously zero.
constexpr double kBandUptimeAtStartS = 90.0;

std::uint32_t deviceTimeMs(double recordingS, double offsetS) noexcept {
    const double ms = std::round((recordingS - offsetS + kBandUptimeAtStartS) * kMsPerS);
    const auto wide = static_cast<std::uint64_t>(std::max(ms, 0.0));
    return static_cast<std::uint32_t>(wide & 0xFFFFFFFFU);  // the device clock wraps
}

}  // namespace

Replay::Replay(std::vector<RrSample> rr, std::optional<EdaRecording> eda, double offsetS)
    : rr_(std::move(rr)), eda_(std::move(eda)), offsetS_(offsetS) {
    rrNext_ = static_cast<std::size_t>(
        std::lower_bound(rr_.begin(), rr_.end(), offsetS,
                         [](const RrSample& s, double t) { return s.tS < t; }) -
        rr_.begin());
    if (eda_) {
        edaNext_ = static_cast<std::size_t>(
            std::lower_bound(eda_->tS.begin(), eda_->tS.end(), offsetS) - eda_->tS.begin());
    }
}

std::uint16_t Replay::rrRawFromMs(double rrMs) noexcept {
    const double raw = std::round(rrMs * kRawPerMs);
    constexpr double kMax = std::numeric_limits<std::uint16_t>::max();
    return static_cast<std::uint16_t>(std::clamp(raw, 0.0, kMax));
}

std::uint8_t Replay::batteryPercent() const noexcept {
    const std::size_t used = std::min<std::size_t>(secondsDone_ / kSecondsPerPercent, kFullBattery);
    return static_cast<std::uint8_t>(kFullBattery - used);
}

ReplaySecond Replay::next() {
    const double endS = offsetS_ + static_cast<double>(secondsDone_ + 1);
    ReplaySecond out;
    out.heartRate = heartRateUntil(endS);
    out.edaBatches = edaBatchesUntil(endS);
    ++secondsDone_;
    out.batteryPercent = batteryPercent();
    return out;
}

std::optional<ble::HeartRateMeasurement> Replay::heartRateUntil(double endS) {
    ble::HeartRateMeasurement m;
    m.sensorContact = true;
    double sumMs = 0.0;
    for (; rrNext_ < rr_.size() && rr_[rrNext_].tS < endS; ++rrNext_) {
        sumMs += rr_[rrNext_].rrMs;
        m.rrRaw.push_back(rrRawFromMs(rr_[rrNext_].rrMs));
    }
    if (!m.rrRaw.empty()) {
        const double meanMs = sumMs / static_cast<double>(m.rrRaw.size());
        const double bpm = std::round(kMsPerMinute / meanMs);
        lastHeartRate_ = static_cast<std::uint16_t>(std::clamp(bpm, 0.0, 65535.0));
    }
    // Before the first beat there is nothing to report, and after the last one
    // the strap is off the chest.
    if (!lastHeartRate_ || (m.rrRaw.empty() && rrNext_ == rr_.size())) {
        return std::nullopt;
    }
    m.heartRateBpm = *lastHeartRate_;
    return m;
}

std::vector<ble::SensorBatch> Replay::edaBatchesUntil(double endS) {
    std::vector<ble::SensorBatch> batches;
    if (!eda_) {
        return batches;
    }
    while (edaNext_ < eda_->tS.size() && eda_->tS[edaNext_] < endS) {
        ble::SensorBatch batch;
        batch.kind = ble::SensorKind::Eda;
        batch.sequence = edaSequence_++;
        batch.deviceTimeMs = deviceTimeMs(eda_->tS[edaNext_], offsetS_);
        batch.sampleRateHz = eda_->rateHz;
        for (; edaNext_ < eda_->tS.size() && eda_->tS[edaNext_] < endS &&
               batch.values.size() < ble::kMaxSamplesPerBatch;
             ++edaNext_) {
            batch.values.push_back(eda_->microsiemens[edaNext_]);
        }
        batches.push_back(std::move(batch));
    }
    return batches;
}

}  // namespace wardgate::bandsim
