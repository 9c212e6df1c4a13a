// Batch HRV analysis of a whole recording: the full feature set per window or for the record.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "dsp/feature.hpp"
#include "dsp/hrv_features.hpp"
#include "dsp/rr_interval.hpp"

namespace wardgate::dsp {

/// One analysed window. startS/endS are the window bounds (start exclusive, end inclusive).
struct HrvWindowFeatures {
    double startS = 0.0;
    double endS = 0.0;
    std::size_t nIntervals = 0;        ///< intervals in the window (after dropping bad ones)
    std::size_t nSuccessiveDiffs = 0;  ///< pairs not broken by a gap
    std::size_t nCorrected = 0;        ///< beats changed by artifact correction (none yet)
    double correctedShare = 0.0;       ///< nCorrected / nIntervals
    bool lowQuality = false;           ///< correctedShare above the configured limit
    HrvFeatureSet features;
};

/// Bad intervals (non-finite, rr <= 0, endS before the previous kept one) are dropped and the
/// next kept interval is marked non-successive, as in RrWindower.
struct CleanSeries {
    std::vector<RrInterval> rr;
    std::size_t nDropped = 0;
};
[[nodiscard]] CleanSeries dropBadIntervals(std::span<const RrInterval> rr);

/// Windows on the grid of RrWindower (start0 = start of the first interval; window k is
/// (start0 + k·hop, start0 + k·hop + length]; an interval belongs where start < endS <= end),
/// every window holding at least one interval, in order. Input as for computeHrv.
[[nodiscard]] std::vector<HrvWindowFeatures> analyzeWindows(std::span<const RrInterval> rr,
                                                            WindowSpec spec,
                                                            const HrvOptions& options);

/// The whole recording as one window (start0, last endS].
[[nodiscard]] HrvWindowFeatures analyzeWhole(std::span<const RrInterval> rr,
                                             const HrvOptions& options);

}  // namespace wardgate::dsp
