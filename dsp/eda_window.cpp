#include "dsp/eda_window.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace wardgate::dsp {
namespace {

constexpr double kPhasicCutoffHz = 0.05;
constexpr double kScrMinAmplitudeUs = 0.01;
constexpr double kGapFactor = 1.5;  // a step longer than 1.5 sample periods is a gap
constexpr double kMinRateHz = 0.2;
constexpr double kMaxRateHz = 1.0e5;
constexpr double kMinCoverage = 0.5;

double checkedRate(double sampleRateHz) {
    if (!std::isfinite(sampleRateHz) || sampleRateHz < kMinRateHz || sampleRateHz > kMaxRateHz) {
        throw std::invalid_argument("EdaWindower: sampleRateHz must be within [0.2, 1e5]");
    }
    return sampleRateHz;
}

}  // namespace

EdaWindower::EdaWindower(WindowSpec spec, double sampleRateHz)
    : spec_(spec)
    , sampleRateHz_(checkedRate(sampleRateHz))
    , highPass_(kPhasicCutoffHz, sampleRateHz)
    , detector_(kScrMinAmplitudeUs) {
    WindowGrid::validate(spec);
}

void EdaWindower::restartSegment() noexcept {
    highPass_.reset();
    detector_.reset();
}

void EdaWindower::push(double tS, double microsiemens,
                       std::vector<EdaWindowResult>& closed) noexcept {
    const bool finite = std::isfinite(tS) && std::isfinite(microsiemens);
    if (!finite || (grid_ && (tS < lastT_ || !grid_->inRange(tS)))) {
        ++dropped_;
        return;
    }
    if (!grid_) {
        grid_.emplace(spec_, tS - 1.0 / sampleRateHz_);
        nextWindow_ = 0;
    } else if (tS - lastT_ > kGapFactor / sampleRateHz_) {
        restartSegment();
    }

    // The detector runs first: a peak it confirms now lies before tS and may belong to a window
    // that closes below.
    if (const auto peak = detector_.step(tS, highPass_.step(microsiemens))) {
        scrPeaks_.push_back(*peak);
    }
    closeWindowsEndingBefore(tS, closed);
    samples_.push_back(Sample{tS, microsiemens});
    lastT_ = tS;
}

void EdaWindower::flush(std::vector<EdaWindowResult>& closed) noexcept {
    if (grid_ && !samples_.empty()) {
        const double last = samples_.back().tS;
        while (!samples_.empty() && grid_->windowStart(nextWindow_) < last) {
            emitWindow(nextWindow_, closed);
            advancePast(nextWindow_);
        }
    }
    samples_.clear();
    scrPeaks_.clear();
    grid_.reset();
    restartSegment();
    nextWindow_ = 0;
    lastT_ = 0.0;
}

void EdaWindower::closeWindowsEndingBefore(double t,
                                           std::vector<EdaWindowResult>& closed) noexcept {
    while (grid_->windowEnd(nextWindow_) < t) {
        emitWindow(nextWindow_, closed);
        advancePast(nextWindow_);
        if (samples_.empty()) {
            nextWindow_ = std::max(nextWindow_, grid_->firstWindowEndingAtOrAfter(t));
            return;
        }
    }
}

void EdaWindower::advancePast(std::int64_t k) noexcept {
    nextWindow_ = k + 1;
    const double start = grid_->windowStart(nextWindow_);
    while (!samples_.empty() && samples_.front().tS <= start) {
        samples_.pop_front();
    }
    while (!scrPeaks_.empty() && scrPeaks_.front() <= start) {
        scrPeaks_.pop_front();
    }
    if (!samples_.empty()) {
        nextWindow_ = std::max(nextWindow_, grid_->firstWindowEndingAtOrAfter(samples_.front().tS));
    }
}

void EdaWindower::emitWindow(std::int64_t k, std::vector<EdaWindowResult>& closed) const noexcept {
    const double start = grid_->windowStart(k);
    const double end = grid_->windowEnd(k);
    double sum = 0.0;
    std::size_t n = 0;
    double firstT = 0.0;
    double lastT = 0.0;
    for (const auto& s : samples_) {
        if (s.tS > end) {
            break;
        }
        if (s.tS > start) {
            firstT = n == 0 ? s.tS : firstT;
            lastT = s.tS;
            sum += s.microsiemens;
            ++n;
        }
    }
    if (n == 0) {
        return;
    }
    const auto nScr = static_cast<std::size_t>(std::count_if(
        scrPeaks_.begin(), scrPeaks_.end(), [&](double p) { return p > start && p <= end; }));
    const double spanS = lastT - firstT + 1.0 / sampleRateHz_;
    closed.push_back(EdaWindowResult{start, end, n, Feature::of(sum / static_cast<double>(n)),
                                     scrCountFeature(n, spanS, nScr)});
}

Feature EdaWindower::scrCountFeature(std::size_t nSamples, double spanS,
                                     std::size_t nScr) const noexcept {
    if (spanS < kMinCoverage * spec_.lengthS) {
        return Feature::undefined(UndefinedReason::TooShort);
    }
    if (static_cast<double>(nSamples) < kMinCoverage * spec_.lengthS * sampleRateHz_) {
        return Feature::undefined(UndefinedReason::MostlyGaps);
    }
    return Feature::of(static_cast<double>(nScr));
}

}  // namespace wardgate::dsp
