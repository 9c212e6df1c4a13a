// RR artifact detection and correction: plausibility limits and Lipponen & Tarvainen (2019).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "dsp/rr_interval.hpp"

namespace wardgate::dsp {

/// Beats classified by Lipponen & Tarvainen (2019), "A robust algorithm for heart rate
/// variability time series artefact correction using novel beat classification", J Med Eng
/// Technol 43(3). Indices refer to the input intervals (interval i ends at beat i).
struct ArtifactReport {
    std::vector<std::size_t> ectopic;    ///< misplaced beat (premature/compensatory pair)
    std::vector<std::size_t> longShort;  ///< long or short interval without a clear cause
    std::vector<std::size_t> missed;     ///< a beat is missing inside interval i
    std::vector<std::size_t> extra;      ///< beat i is spurious (interval i is too short)
    [[nodiscard]] std::size_t total() const noexcept {
        return ectopic.size() + longShort.size() + missed.size() + extra.size();
    }
};

/// Classifies one gap-free run of intervals (ms). Parameters as in the paper: c1 = 0.13,
/// c2 = 0.17, alpha = 5.2, threshold window 91 beats, median filter 11 beats (edges use the
/// beats available instead of zero padding). Fewer than 4 intervals: nothing is flagged.
[[nodiscard]] ArtifactReport detectArtifacts(std::span<const double> rrMs);

struct ArtifactOptions {
    double minRrMs = 250.0;  ///< plausibility limits: outside them an interval is removed
    double maxRrMs = 2500.0;
};

struct CorrectionResult {
    std::vector<RrInterval> rr;    ///< the corrected stream (a removed interval leaves a gap)
    std::size_t nImplausible = 0;  ///< intervals removed by the plausibility limits
    std::size_t nCorrected = 0;    ///< beats moved, inserted or removed, plus nImplausible
    ArtifactReport found;  ///< indices into the input after dropping bad and implausible ones
    std::vector<double> correctedAtS;  ///< stream time of every change, for per-window counts
};

/// Removes implausible intervals (the next one becomes non-successive), then corrects each
/// gap-free run as the paper's reference implementation does: an ectopic or long/short beat is
/// moved to the midpoint of its neighbours (both adjacent intervals become their mean), a
/// missed beat is inserted in the middle of its interval, an extra beat is removed (its two
/// intervals merge). Never throws for bad data; input as for computeHrv.
[[nodiscard]] CorrectionResult correctArtifacts(std::span<const RrInterval> rr,
                                                const ArtifactOptions& options = {});

}  // namespace wardgate::dsp
