// Time-domain HRV statistics of one window of RR intervals ("taskforce" profile, first cut).
#pragma once

#include <cstddef>
#include <span>

#include "dsp/feature.hpp"
#include "dsp/rr_interval.hpp"

namespace wardgate::dsp {

/// Units: meanNN, sdnn, rmssd in ms; pnn50 in percent.
struct HrvTimeDomain {
    Feature meanNN;
    Feature sdnn;
    Feature rmssd;
    Feature pnn50;
};

/// Number of usable successive differences in `rr`: pairs (i-1, i) with rr[i].successive.
/// rr[0].successive is ignored (its predecessor is not in the span).
[[nodiscard]] std::size_t countSuccessiveDiffs(std::span<const RrInterval> rr) noexcept;

/// Time-domain statistics of the intervals in `rr` (in stream order), Task Force definitions:
/// - meanNN = mean(rrMs); undefined(TooFewIntervals) when empty.
/// - sdnn = sample SD (divisor n-1), two-pass; undefined(TooFewIntervals) when n < 2.
/// - rmssd = sqrt(mean(d^2)) over the successive differences d_i = rr[i] - rr[i-1] (i >= 1,
///   rr[i].successive); pnn50 = 100 * count(|d| > 50 ms) / number of those differences.
///   Both undefined when there is no such difference: TooFewIntervals when n < 2, MostlyGaps when
///   there are 2+ intervals but every pair is broken by a gap.
/// Inputs are taken as given (validation is the caller's job); never NaN, never throws.
[[nodiscard]] HrvTimeDomain computeTimeDomain(std::span<const RrInterval> rr) noexcept;

}  // namespace wardgate::dsp
