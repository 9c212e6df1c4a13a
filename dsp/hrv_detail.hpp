// Internal to dsp/: the prepared RR series and the per-domain HRV computations.
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include "dsp/hrv_features.hpp"

namespace wardgate::dsp::detail {

/// The RR series as the feature code sees it.
/// `pairs` lists every i >= 1 whose pair (i-1, i) may be used for a difference; `diffs` holds
/// rr[i] - rr[i-1] for those i. Taskforce: exactly the pairs flagged successive. Reference
/// (NeuroKit2's rule): the flagged pairs only when some but not all pairs are flagged and the
/// beat times are not uniformly spaced; otherwise every pair, gaps included.
struct HrvSeries {
    HrvProfile profile = HrvProfile::Taskforce;
    std::vector<double> rr;  // ms
    std::vector<double> t;   // end time of each interval, s
    std::vector<std::size_t> pairs;
    std::vector<double> diffs;
};

[[nodiscard]] HrvSeries prepareSeries(std::span<const RrInterval> rr, HrvProfile profile);

/// A feature from a computed double: finite -> value, otherwise undefined with `why`.
[[nodiscard]] inline Feature valueOr(double v, UndefinedReason why) noexcept {
    return std::isfinite(v) ? Feature::of(v) : Feature::undefined(why);
}

void computeTimeDomain(const HrvSeries& s, HrvFeatureSet& out);
void computeFrequencyDomain(const HrvSeries& s, bool welch, bool lomb, HrvFeatureSet& out);
void computePoincare(const HrvSeries& s, HrvFeatureSet& out);
void computeComplexity(const HrvSeries& s, HrvFeatureSet& out);

}  // namespace wardgate::dsp::detail
