#include "dsp/eda_phasic.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace wardgate::dsp {

PhasicHighPass::PhasicHighPass(double cutoffHz, double sampleRateHz) noexcept {
    const double k = std::tan(std::numbers::pi * cutoffHz / sampleRateHz);
    b0_ = 1.0 / (1.0 + k);
    a1_ = (k - 1.0) / (1.0 + k);
}

double PhasicHighPass::step(double x) noexcept {
    if (!primed_) {
        prevX_ = x;  // steady state of a constant input: output 0
        prevY_ = 0.0;
        primed_ = true;
    }
    const double y = b0_ * (x - prevX_) - a1_ * prevY_;
    prevX_ = x;
    prevY_ = y;
    return y;
}

std::optional<double> ScrDetector::step(double tS, double phasic) noexcept {
    if (!hasPrev_) {
        hasPrev_ = true;
        prev_ = phasic;
        prevT_ = tS;
        trough_ = phasic;
        prevRising_ = false;  // a segment's first sample cannot be a peak
        return std::nullopt;
    }
    std::optional<double> peak;
    if (phasic < prev_ && prevRising_) {
        if (prev_ - trough_ >= minAmplitude_) {
            peak = prevT_;
        }
        trough_ = phasic;
    } else {
        trough_ = std::min(trough_, phasic);
    }
    prevRising_ = phasic >= prev_;
    prev_ = phasic;
    prevT_ = tS;
    return peak;
}

}  // namespace wardgate::dsp
