// Streaming EDA windows: tonic level and SCR count over a stream of skin conductance samples.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "dsp/eda_phasic.hpp"
#include "dsp/feature.hpp"
#include "dsp/window_grid.hpp"

namespace wardgate::dsp {

/// One closed EDA window: bounds (start exclusive, end inclusive), the samples it holds, the mean
/// skin conductance level in µS and the number of SCRs whose peak lies in the window.
struct EdaWindowResult {
    double startS;
    double endS;
    std::size_t nSamples;
    Feature meanScl;
    Feature scrCount;
};

/// Cuts a uniformly sampled skin conductance stream into overlapping windows.
///
/// Grid: a sample at t stands for (t - 1/fs, t], so the grid starts at t0 - 1/fs for the first
/// accepted sample t0; window k covers (start0 + k*hop, start0 + k*hop + length] and holds the
/// samples with start < t <= end. Windows without samples are not emitted.
///
/// Phasic component: a causal first-order Butterworth high-pass at 0.05 Hz (not a running median;
/// see PhasicHighPass for why first order). A time step > 1.5/fs is a gap: the filter and the
/// peak detector restart after it, so nothing is bridged across. An SCR is a phasic peak at least
/// 0.01 µS (absolute) above its preceding local minimum in the same segment (see ScrDetector); it
/// counts in every window holding its peak sample. A constant signal therefore has no SCRs.
///
/// Features: meanScl = mean of the window's samples (two-pass sum, always defined when emitted).
/// scrCount is undefined with TooShort when the samples span less than half the window (e.g. the
/// last windows at flush), or MostlyGaps when the window holds fewer than half the samples the
/// rate implies; a count over a fraction of a window is not comparable with a full one.
///
/// Bad input is dropped, never thrown: non-finite tS or value, or tS before the last accepted
/// sample; a dropped sample leaves a time step that resets the filter as any gap does.
/// Not thread-safe; one instance per participant stream. Memory: one window of samples.
class EdaWindower {
  public:
    /// Throws std::invalid_argument for a bad spec or unless 0.2 Hz <= sampleRateHz <= 100 kHz
    /// (the high-pass needs a Nyquist frequency well above 0.05 Hz).
    EdaWindower(WindowSpec spec, double sampleRateHz);

    /// Feeds one sample (tS: stream time in s, non-decreasing; microsiemens: skin conductance);
    /// appends to `closed` every window whose end is before tS, in order.
    void push(double tS, double microsiemens, std::vector<EdaWindowResult>& closed) noexcept;

    /// End of stream: closes every open window holding at least one sample, then resets.
    void flush(std::vector<EdaWindowResult>& closed) noexcept;

    [[nodiscard]] std::uint64_t droppedCount() const noexcept { return dropped_; }

  private:
    struct Sample {
        double tS;
        double microsiemens;
    };

    void closeWindowsEndingBefore(double t, std::vector<EdaWindowResult>& closed) noexcept;
    void emitWindow(std::int64_t k, std::vector<EdaWindowResult>& closed) const noexcept;
    void advancePast(std::int64_t k) noexcept;
    [[nodiscard]] Feature scrCountFeature(std::size_t nSamples, double spanS,
                                          std::size_t nScr) const noexcept;
    void restartSegment() noexcept;

    WindowSpec spec_;
    double sampleRateHz_;
    std::optional<WindowGrid> grid_;
    std::deque<Sample> samples_;
    std::deque<double> scrPeaks_;  // peak times of SCRs still inside an open window
    PhasicHighPass highPass_;
    ScrDetector detector_;
    std::int64_t nextWindow_ = 0;
    double lastT_ = 0.0;
    std::uint64_t dropped_ = 0;
};

}  // namespace wardgate::dsp
