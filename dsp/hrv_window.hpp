// Streaming HRV windows over a stream of RR intervals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "dsp/feature.hpp"
#include "dsp/hrv_time.hpp"
#include "dsp/rr_interval.hpp"
#include "dsp/window_grid.hpp"

namespace wardgate::dsp {

/// One closed window. startS/endS are the window bounds (start exclusive, end inclusive), not the
/// first/last beat; nSuccessiveDiffs counts the differences RMSSD and pNN50 were computed from.
struct HrvWindowResult {
    double startS;
    double endS;
    std::size_t nIntervals;
    std::size_t nSuccessiveDiffs;
    HrvTimeDomain time;
};

/// Cuts a stream of RR intervals into overlapping windows and computes each window's time-domain
/// HRV when it closes. The grid starts at the start of the first accepted interval
/// (endS - rrMs/1000); window k covers (start0 + k*hop, start0 + k*hop + length]; an interval
/// belongs to every window with start < endS <= end. Windows without intervals are not emitted.
/// A window's result depends only on the intervals it holds, never on how they were batched.
///
/// Bad input is dropped, never thrown: an interval with a non-finite endS or rrMs, rrMs <= 0, an
/// endS earlier than the last accepted one (out of order), or an endS absurdly far (> ~31 years)
/// from the grid start. The next accepted interval is then marked non-successive, because the
/// dropped one sat between it and its predecessor. Physiological plausibility (250..2500 ms,
/// ectopic beats) is the RR cleaner's job upstream: TODO(#3): artifact correction.
///
/// Cost: constant per interval (each interval updates the running sums of the length/hop
/// windows that hold it); memory: those running sums, not the intervals. Values equal the
/// two-pass computation (computeTimeDomain) to ~1e-14 relative: the mean and RMSSD use the same
/// sums in the same order, SDNN a shifted sum of squares.
/// Not thread-safe; one instance per participant stream.
class RrWindower {
  public:
    /// Throws std::invalid_argument unless spec.lengthS and spec.hopS are finite and > 0.
    explicit RrWindower(WindowSpec spec = {});

    /// Feeds one interval; appends to `closed` every window whose end is before rr.endS, in order.
    void push(const RrInterval& rr, std::vector<HrvWindowResult>& closed) noexcept;

    /// End of stream: closes every open window that holds at least one interval (including
    /// windows that end after the last interval), then resets to the state of a new windower.
    void flush(std::vector<HrvWindowResult>& closed) noexcept;

    /// Intervals dropped as bad input since construction.
    [[nodiscard]] std::uint64_t droppedCount() const noexcept { return dropped_; }

  private:
    struct Accumulator {  // running sums of one open window
        std::int64_t k = 0;
        std::size_t n = 0;
        double sum = 0.0;
        double shift = 0.0;  // first interval: sums of (x - shift) keep SDNN free of cancellation
        double s1 = 0.0;
        double s2 = 0.0;
        double sumSqDiff = 0.0;
        std::size_t nDiffs = 0;
        std::size_t nOver50 = 0;
    };

    [[nodiscard]] bool acceptable(const RrInterval& rr) const noexcept;
    void closeWindowsEndingBefore(double t, std::vector<HrvWindowResult>& closed) noexcept;
    void openWindowsHolding(double t);
    void add(Accumulator& acc, const RrInterval& rr) const noexcept;
    void emit(const Accumulator& acc, std::vector<HrvWindowResult>& closed) const noexcept;

    WindowSpec spec_;
    std::optional<WindowGrid> grid_;
    std::deque<Accumulator> open_;  // ascending k; every one holds at least one interval
    std::optional<RrInterval> prev_;
    double lastEndS_ = 0.0;
    bool gapPending_ = false;
    std::uint64_t dropped_ = 0;
};

}  // namespace wardgate::dsp
