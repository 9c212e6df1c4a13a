// Streaming phasic EDA: a causal high-pass and an SCR peak detector, both resettable at gaps.
#pragma once

#include <optional>

namespace wardgate::dsp {

/// Causal first-order Butterworth high-pass (bilinear transform), used with cutoff 0.05 Hz to take
/// the phasic part of skin conductance. First order on purpose: a causal second-order Butterworth
/// rings (a skin conductance response comes out followed by an undershoot and then an overshoot
/// of about 6 % of its size), and an absolute amplitude threshold would count that overshoot as a
/// second response. The first-order step response decays monotonically instead.
/// reset() makes the next sample the start of a new segment: the filter starts in the steady
/// state of a constant input equal to that sample, so a segment starts at phasic 0 rather than
/// with a step response.
class PhasicHighPass {
  public:
    /// cutoffHz must be in (0, sampleRateHz/2); the caller validates (EdaWindower does).
    PhasicHighPass(double cutoffHz, double sampleRateHz) noexcept;

    [[nodiscard]] double step(double x) noexcept;
    void reset() noexcept { primed_ = false; }

  private:
    double b0_;
    double a1_;
    double prevX_ = 0.0;
    double prevY_ = 0.0;
    bool primed_ = false;
};

/// Finds skin conductance responses in a phasic signal, one sample at a time. A peak is a sample
/// that is >= the one before it and > the one after it (the last sample of a plateau), so it is
/// confirmed by the very next sample. Its amplitude is its height above its onset, the lowest
/// phasic value since the previous peak (counted or not) or since the segment start, i.e. the
/// preceding local minimum as in NeuroKit2's eda_peaks. A peak with amplitude >= minAmplitude is
/// an SCR. (Measuring from the lowest value since the last *counted* peak instead would count
/// noise on the slow recovery from the high-pass undershoot.)
class ScrDetector {
  public:
    explicit ScrDetector(double minAmplitude) noexcept : minAmplitude_(minAmplitude) {}

    /// Feeds the phasic value at time tS; returns the time of an SCR peak confirmed by it.
    [[nodiscard]] std::optional<double> step(double tS, double phasic) noexcept;
    /// Starts a new segment (after a gap): nothing before it can form a peak with what follows.
    void reset() noexcept { hasPrev_ = false; }

  private:
    double minAmplitude_;
    double prev_ = 0.0;
    double prevT_ = 0.0;
    double trough_ = 0.0;
    bool prevRising_ = false;
    bool hasPrev_ = false;
};

}  // namespace wardgate::dsp
