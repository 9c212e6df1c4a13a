// Time-domain HRV (docs/hrv.md, section "Time domain"). Reference-profile quirks are marked.
#include <algorithm>
#include <cmath>
#include <limits>

#include "dsp/hrv_detail.hpp"
#include "dsp/numeric.hpp"

namespace wardgate::dsp::detail {
namespace {

using Id = HrvFeatureId;
using UR = UndefinedReason;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMadScale = 1.4826;
constexpr double kHistBinMs = 1000.0 / 128.0;
constexpr double kTinnStartError = 16384.0;  // NeuroKit2 starts its search at 2**14
constexpr double kTaskforceSdannMinS = 3600.0;

struct SegmentStats {
    double sdann = kNaN;
    double sdnni = kNaN;
};

double sdOfFinite(const std::vector<double>& v) {
    std::vector<double> f;
    std::copy_if(v.begin(), v.end(), std::back_inserter(f),
                 [](double x) { return std::isfinite(x); });
    return numeric::stdDev(f, 1.0);
}

double meanOfFinite(const std::vector<double>& v) {
    std::vector<double> f;
    std::copy_if(v.begin(), v.end(), std::back_inserter(f),
                 [](double x) { return std::isfinite(x); });
    return numeric::mean(f);
}

// Reference quirk: beat times are rebuilt from cumsum(rr) (RRI_Time is ignored), segment i
// holds rr[start:end) where `end` is the last beat inside it, so its last beat is left out.
SegmentStats referenceSegments(const std::vector<double>& rr, int minutes) {
    const double windowMs = minutes * 60.0 * 1000.0;
    std::vector<double> c(rr.size());
    double cum = 0.0;
    for (std::size_t i = 0; i < rr.size(); ++i) {
        cum += rr[i] / 1000.0;
        c[i] = cum;
    }
    const double c0 = c[0];
    for (auto& v : c) {
        v = (v - c0) * 1000.0 + rr[0];
    }
    const auto nWindows = static_cast<long>(std::nearbyint(c.back() / windowMs));
    SegmentStats out;
    if (nWindows < 3) {
        return out;
    }
    std::vector<double> means;
    std::vector<double> sds;
    for (long i = 0; i < nWindows; ++i) {
        const double start = static_cast<double>(i) * windowMs;
        const auto first =
            static_cast<std::size_t>(std::lower_bound(c.begin(), c.end(), start) - c.begin());
        const auto past = static_cast<std::size_t>(
            std::lower_bound(c.begin(), c.end(), start + windowMs) - c.begin());
        const std::size_t last = past == 0 ? 0 : past - 1;
        const std::span<const double> seg(rr.data() + first, last > first ? last - first : 0);
        means.push_back(numeric::mean(seg));
        sds.push_back(numeric::stdDev(seg, 1.0));
    }
    out.sdann = sdOfFinite(means);
    out.sdnni = meanOfFinite(sds);
    return out;
}

// Task Force: consecutive segments on the real beat times from the start of the first interval,
// a beat in a segment when start < t <= end; only for records of an hour or more.
SegmentStats taskforceSegments(const HrvSeries& s, int minutes) {
    const double t0 = s.t.front() - s.rr.front() / 1000.0;
    const double lengthS = minutes * 60.0;
    SegmentStats out;
    if (s.t.back() - t0 < kTaskforceSdannMinS) {
        return out;
    }
    std::vector<double> means;
    std::vector<double> sds;
    std::vector<double> seg;
    std::size_t i = 0;
    for (double end = t0 + lengthS; end <= s.t.back(); end += lengthS) {
        seg.clear();
        for (; i < s.t.size() && s.t[i] <= end; ++i) {
            seg.push_back(s.rr[i]);
        }
        if (!seg.empty()) {
            means.push_back(numeric::mean(seg));
        }
        if (seg.size() >= 2) {
            sds.push_back(numeric::stdDev(seg, 1.0));
        }
    }
    out.sdann = numeric::stdDev(means, 1.0);
    out.sdnni = numeric::mean(sds);
    return out;
}

struct Histogram {
    std::vector<double> counts;  // counts[k] for bin [k*w, (k+1)*w), the last bin closed
    std::size_t nEdges = 0;
};

// np.histogram(rr, bins=np.arange(0, max + w, w)).
Histogram histogram(const std::vector<double>& rr, double maxRr) {
    Histogram h;
    h.nEdges = static_cast<std::size_t>(std::ceil((maxRr + kHistBinMs) / kHistBinMs));
    if (h.nEdges < 2) {
        return h;
    }
    h.counts.assign(h.nEdges - 1, 0.0);
    const double lastEdge = static_cast<double>(h.nEdges - 1) * kHistBinMs;
    for (double x : rr) {
        if (x < 0.0 || x > lastEdge) {
            continue;
        }
        auto k = static_cast<std::size_t>(std::floor(x / kHistBinMs));
        while (k > 0 && static_cast<double>(k) * kHistBinMs > x) {
            --k;
        }
        while (static_cast<double>(k + 1) * kHistBinMs <= x) {
            ++k;
        }
        h.counts[std::min(k, h.counts.size() - 1)] += 1.0;
    }
    return h;
}

// Squared error of the left triangle side from edge n to the mode edge x (inclusive).
double leftError(const Histogram& h, std::size_t n, std::size_t x, double peak) {
    double e = 0.0;
    for (std::size_t k = n; k <= x; ++k) {
        const double q = peak * static_cast<double>(k - n) / static_cast<double>(x - n);
        e += (h.counts[k] - q) * (h.counts[k] - q);
    }
    return e;
}

// Squared error of the right side from after the mode edge x up to edge m (inclusive).
double rightError(const Histogram& h, std::size_t x, std::size_t m, double peak) {
    double e = 0.0;
    for (std::size_t k = x + 1; k <= m; ++k) {
        const double q = peak * static_cast<double>(m - k) / static_cast<double>(m - x);
        e += (h.counts[k] - q) * (h.counts[k] - q);
    }
    return e;
}

// TINN = M - N of the least-squares triangle on the histogram. Reference quirk: NeuroKit2 never
// resets M, so only the first N (the first edge above min(rr)) is tried, and an error that
// never drops below 2**14 gives 0. Task Force: every N up to the mode, every M after it, with
// the error over the whole histogram.
double tinn(const Histogram& h, double minRr, double maxRr, HrvProfile profile) {
    const auto modeIt = std::max_element(h.counts.begin(), h.counts.end());
    const auto x = static_cast<std::size_t>(modeIt - h.counts.begin());
    const double peak = *modeIt;
    std::size_t n0 = 0;
    while (n0 < h.nEdges && static_cast<double>(n0) * kHistBinMs - minRr <= 0.0) {
        ++n0;
    }
    if (n0 >= h.nEdges) {
        return kNaN;
    }
    const bool reference = profile == HrvProfile::Reference;
    std::vector<double> right;  // right[j]: error of the right side ending at edge x + 1 + j
    for (std::size_t m = x + 1; static_cast<double>(m) * kHistBinMs < maxRr; ++m) {
        right.push_back(rightError(h, x, m, peak));
    }
    double best = reference ? kTinnStartError : std::numeric_limits<double>::infinity();
    std::size_t bestN = 0;
    std::size_t bestM = 0;
    const std::size_t nLast = reference ? std::min(n0 + 1, x) : x;
    // Task Force: the triangle is 0 outside [N, M], so the bins outside count in the error
    // too (NeuroKit2 only sums over [N, M]).
    std::vector<double> below(h.counts.size() + 1, 0.0);  // below[k]: Σ counts² of bins < k
    for (std::size_t k = 0; k < h.counts.size(); ++k) {
        below[k + 1] = below[k] + h.counts[k] * h.counts[k];
    }
    const auto outside = [&](std::size_t n, std::size_t m) {
        return reference ? 0.0 : below[n] + (below.back() - below[m + 1]);
    };
    for (std::size_t n = n0; n < nLast; ++n) {
        const double left = leftError(h, n, x, peak);
        for (std::size_t j = 0; j < right.size(); ++j) {
            const double e = left + right[j] + outside(n, x + 1 + j);
            if (e < best) {
                best = e;
                bestN = n;
                bestM = x + 1 + j;
            }
        }
    }
    return static_cast<double>(bestM - bestN) * kHistBinMs;
}

void deviationFeatures(const HrvSeries& s, HrvFeatureSet& out) {
    const auto& rr = s.rr;
    const double mean = numeric::mean(rr);
    out[Id::MeanNN] = valueOr(mean, UR::TooFewIntervals);
    out[Id::SDNN] = valueOr(numeric::stdDev(rr, 1.0), UR::TooFewIntervals);
    constexpr std::array<std::pair<int, std::pair<Id, Id>>, 3> kSegments = {
        {{1, {Id::SDANN1, Id::SDNNI1}},
         {2, {Id::SDANN2, Id::SDNNI2}},
         {5, {Id::SDANN5, Id::SDNNI5}}}};
    for (const auto& [minutes, ids] : kSegments) {
        const auto seg = s.profile == HrvProfile::Reference ? referenceSegments(rr, minutes)
                                                            : taskforceSegments(s, minutes);
        out[ids.first] = valueOr(seg.sdann, UR::TooShort);
        out[ids.second] = valueOr(seg.sdnni, UR::TooShort);
    }
}

void differenceFeatures(const HrvSeries& s, HrvFeatureSet& out) {
    const auto noDiffs = s.rr.size() < 2 ? UR::TooFewIntervals : UR::MostlyGaps;
    std::vector<double> sq(s.diffs.size());
    std::transform(s.diffs.begin(), s.diffs.end(), sq.begin(), [](double d) { return d * d; });
    out[Id::RMSSD] = valueOr(std::sqrt(numeric::mean(sq)), noDiffs);
    out[Id::SDSD] = valueOr(numeric::stdDev(s.diffs, 1.0), noDiffs);

    const auto count = [&](double limit) {
        return static_cast<double>(std::count_if(
            s.diffs.begin(), s.diffs.end(), [limit](double d) { return std::abs(d) > limit; }));
    };
    // Reference quirk: the denominator is the number of differences + 1.
    const double denominator =
        static_cast<double>(s.diffs.size()) + (s.profile == HrvProfile::Reference ? 1.0 : 0.0);
    out[Id::pNN50] = valueOr(count(50.0) / denominator * 100.0, noDiffs);
    out[Id::pNN20] = valueOr(count(20.0) / denominator * 100.0, noDiffs);
}

void robustFeatures(const HrvSeries& s, HrvFeatureSet& out) {
    std::vector<double> sorted = s.rr;
    std::sort(sorted.begin(), sorted.end());
    const double median = numeric::percentileSorted(sorted, 50.0);
    std::vector<double> dev(sorted.size());
    std::transform(sorted.begin(), sorted.end(), dev.begin(),
                   [median](double v) { return std::abs(v - median); });
    const double mad = kMadScale * numeric::median(dev);
    out[Id::MedianNN] = valueOr(median, UR::TooFewIntervals);
    out[Id::MadNN] = valueOr(mad, UR::TooFewIntervals);
    out[Id::MCVNN] = valueOr(mad / median, UR::NoVariability);
    out[Id::IQRNN] =
        valueOr(numeric::percentileSorted(sorted, 75.0) - numeric::percentileSorted(sorted, 25.0),
                UR::TooFewIntervals);
    out[Id::Prc20NN] = valueOr(numeric::percentileSorted(sorted, 20.0), UR::TooFewIntervals);
    out[Id::Prc80NN] = valueOr(numeric::percentileSorted(sorted, 80.0), UR::TooFewIntervals);
    out[Id::MinNN] = Feature::of(sorted.front());
    out[Id::MaxNN] = Feature::of(sorted.back());

    const auto h = histogram(s.rr, sorted.back());
    if (!h.counts.empty()) {
        const double peak = *std::max_element(h.counts.begin(), h.counts.end());
        out[Id::HTI] = valueOr(static_cast<double>(s.rr.size()) / peak, UR::TooFewIntervals);
        out[Id::TINN] =
            valueOr(tinn(h, sorted.front(), sorted.back(), s.profile), UR::TooFewIntervals);
    }
}

}  // namespace

void computeTimeDomain(const HrvSeries& s, HrvFeatureSet& out) {
    deviationFeatures(s, out);
    differenceFeatures(s, out);
    robustFeatures(s, out);
    const auto ratio = [&](Id num, Id den) {
        if (!out[num].defined() || !out[den].defined()) {
            return Feature::undefined(!out[num].defined() ? out[num].reason() : out[den].reason());
        }
        return valueOr(out[num].value() / out[den].value(), UR::NoVariability);
    };
    out[Id::CVNN] = ratio(Id::SDNN, Id::MeanNN);
    out[Id::CVSD] = ratio(Id::RMSSD, Id::MeanNN);
    out[Id::SDRMSSD] = ratio(Id::SDNN, Id::RMSSD);
}

}  // namespace wardgate::dsp::detail
