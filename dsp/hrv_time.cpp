#include "dsp/hrv_time.hpp"

#include <cmath>

namespace wardgate::dsp {
namespace {

constexpr double kNn50ThresholdMs = 50.0;

double meanOf(std::span<const RrInterval> rr) noexcept {
    double sum = 0.0;
    for (const auto& r : rr) {
        sum += r.rrMs;
    }
    return sum / static_cast<double>(rr.size());
}

// Two-pass: the squared deviations from the exact mean avoid the cancellation of sum(x^2).
double sampleSd(std::span<const RrInterval> rr, double mean) noexcept {
    double ss = 0.0;
    for (const auto& r : rr) {
        const double d = r.rrMs - mean;
        ss += d * d;
    }
    return std::sqrt(ss / static_cast<double>(rr.size() - 1));
}

}  // namespace

std::size_t countSuccessiveDiffs(std::span<const RrInterval> rr) noexcept {
    std::size_t n = 0;
    for (std::size_t i = 1; i < rr.size(); ++i) {
        n += rr[i].successive ? 1U : 0U;
    }
    return n;
}

HrvTimeDomain computeTimeDomain(std::span<const RrInterval> rr) noexcept {
    const auto tooFew = Feature::undefined(UndefinedReason::TooFewIntervals);
    HrvTimeDomain out{tooFew, tooFew, tooFew, tooFew};
    if (rr.empty()) {
        return out;
    }
    const double mean = meanOf(rr);
    out.meanNN = Feature::of(mean);
    if (rr.size() < 2) {
        return out;
    }
    out.sdnn = Feature::of(sampleSd(rr, mean));

    double sumSq = 0.0;
    std::size_t nDiffs = 0;
    std::size_t nOver50 = 0;
    for (std::size_t i = 1; i < rr.size(); ++i) {
        if (!rr[i].successive) {
            continue;
        }
        const double d = rr[i].rrMs - rr[i - 1].rrMs;
        sumSq += d * d;
        ++nDiffs;
        nOver50 += std::abs(d) > kNn50ThresholdMs ? 1U : 0U;
    }
    if (nDiffs == 0) {
        out.rmssd = Feature::undefined(UndefinedReason::MostlyGaps);
        out.pnn50 = out.rmssd;
        return out;
    }
    const auto n = static_cast<double>(nDiffs);
    out.rmssd = Feature::of(std::sqrt(sumSq / n));
    out.pnn50 = Feature::of(100.0 * static_cast<double>(nOver50) / n);
    return out;
}

}  // namespace wardgate::dsp
