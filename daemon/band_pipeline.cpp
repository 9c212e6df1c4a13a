#include "daemon/band_pipeline.hpp"

#include <algorithm>
#include <cmath>

#include "daemon/feature_record.hpp"

namespace wardgate::daemon {

BandPipeline::BandPipeline(const PipelineConfig& config, const StreamClock& clock, RecordSink sink)
    : config_(config)
    , clock_(clock)
    , sink_(std::move(sink))
    , timeline_(config.rrGapToleranceS * clock.scale())
    , rrWindower_(config.hrvWindow) {}

void BandPipeline::onHeartRate(const ble::HeartRateMeasurement& m,
                               std::chrono::steady_clock::time_point arrival) {
    ++counters_.notifications;
    if (!config_.hrvConsented) {
        ++counters_.droppedUnconsented;
        return;
    }
    if (m.rrRaw.empty()) {
        return;
    }

    rrMsScratch_.clear();
    for (std::size_t i = 0; i < m.rrRaw.size(); ++i) {
        rrMsScratch_.push_back(m.rrMs(i));
    }
    rrScratch_.clear();
    const double arrivalS = clock_.toStreamS(arrival);
    timeline_.add(arrivalS, rrMsScratch_, rrScratch_);
    lastDataS_ = arrivalS;

    std::vector<dsp::HrvWindowResult> closed;
    for (const auto& rr : rrScratch_) {
        rrWindower_.push(rr, closed);
    }
    counters_.intervals += rrScratch_.size();
    emit(RecordKind::Hrv, closed);
}

void BandPipeline::onSensorBatch(const ble::SensorBatch& batch,
                                 std::chrono::steady_clock::time_point arrival) {
    ++counters_.notifications;
    if (batch.kind != ble::SensorKind::Eda || batch.values.empty() || batch.sampleRateHz <= 0.0) {
        return;
    }
    if (!config_.edaConsented) {
        ++counters_.droppedUnconsented;
        return;
    }

    if (!edaWindower_ || batch.sampleRateHz != edaRateHz_) {
        edaRateHz_ = batch.sampleRateHz;
        edaWindower_.emplace(config_.edaWindow, edaRateHz_);
        edaNextS_.reset();
    }

    // Samples of an unbroken sequence follow each other at the sample rate;
    // after a lost batch (or the first one) the batch is placed so that its
    // last sample ends at its arrival, and the windower sees the jump as a
    // gap it does not bridge.
    const double periodS = 1.0 / edaRateHz_;
    const bool continuous = edaNextSequence_ && *edaNextSequence_ == batch.sequence && edaNextS_;
    const double arrivalS = clock_.toStreamS(arrival);
    double t =
        continuous ? *edaNextS_ : arrivalS - periodS * static_cast<double>(batch.values.size() - 1);
    if (!continuous && edaNextS_) {
        t = std::max(t, *edaNextS_);
    }

    std::vector<dsp::EdaWindowResult> closed;
    for (const double value : batch.values) {
        edaWindower_->push(t, value, closed);
        t += periodS;
    }
    edaNextS_ = t;
    edaNextSequence_ = static_cast<std::uint16_t>(batch.sequence + 1U);
    counters_.edaSamples += batch.values.size();
    lastDataS_ = arrivalS;
    emit(RecordKind::Eda, closed);
}

void BandPipeline::onLinkLost() {
    timeline_.markInterrupted();
    edaNextSequence_.reset();
}

void BandPipeline::flush() {
    std::vector<dsp::HrvWindowResult> hrv;
    rrWindower_.flush(hrv);
    emit(RecordKind::Hrv, hrv);
    if (edaWindower_) {
        std::vector<dsp::EdaWindowResult> eda;
        edaWindower_->flush(eda);
        emit(RecordKind::Eda, eda);
    }
}

template <class Window>
void BandPipeline::emit(RecordKind kind, const std::vector<Window>& windows) {
    for (const auto& w : windows) {
        const auto startMs = clock_.toWallMs(w.startS);
        const auto endMs = clock_.toWallMs(w.endS);
        sink_(kind, startMs, endMs, recordJson(w, startMs, endMs));
        ++counters_.windows;
    }
}

}  // namespace wardgate::daemon
