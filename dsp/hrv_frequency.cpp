// Frequency-domain HRV (docs/hrv.md, "Frequency domain").
#include <algorithm>
#include <array>
#include <cmath>

#include "dsp/hrv_detail.hpp"
#include "dsp/numeric.hpp"
#include "dsp/spectral.hpp"

namespace wardgate::dsp::detail {
namespace {

using Id = HrvFeatureId;
using UR = UndefinedReason;
namespace sp = spectral;

struct Band {
    double lo;
    double hi;
};
constexpr std::array<Band, 5> kBands = {
    {{0.0, 0.0033}, {0.0033, 0.04}, {0.04, 0.15}, {0.15, 0.4}, {0.4, 0.5}}};
constexpr double kMaxHz = 0.5;

constexpr double kReferenceRateHz = 100.0;
constexpr double kTaskforceRateHz = 4.0;
constexpr double kTaskforceSegmentS = 256.0;
constexpr double kSamplesPerPeak = 5.0;
constexpr std::size_t kMaxUnevenFrequencies = 4096;

struct Ids {
    Id first;  // ULF or ULF_LOMB; the other nine follow in enum order
    [[nodiscard]] Id at(int offset) const {
        return static_cast<Id>(static_cast<int>(first) + offset);
    }
};

sp::Psd cutBelow(sp::Psd psd, double minHz) {
    sp::Psd out;
    for (std::size_t k = 0; k < psd.frequency.size(); ++k) {
        if (psd.frequency[k] >= minHz && psd.frequency[k] <= kMaxHz) {
            out.frequency.push_back(psd.frequency[k]);
            out.power.push_back(psd.power[k]);
        }
    }
    return out;
}

void setUndefined(Ids ids, UR why, HrvFeatureSet& out) {
    for (int i = 0; i < 10; ++i) {
        out[ids.at(i)] = Feature::undefined(why);
    }
}

// Band powers (ms²) and their ratios. A band with no power (fewer than two bins in it) is
// undefined(TooShort), as NeuroKit2 reports 0 as NaN.
void bandFeatures(const sp::Psd& psd, HrvProfile profile, Ids ids, HrvFeatureSet& out) {
    std::array<double, 5> p{};
    for (std::size_t b = 0; b < kBands.size(); ++b) {
        p[b] = sp::bandPower(psd, kBands[b].lo, kBands[b].hi);
        out[ids.at(static_cast<int>(b))] =
            p[b] == 0.0 ? Feature::undefined(UR::TooShort) : valueOr(p[b], UR::TooShort);
    }
    const double lf = p[2];
    const double hf = p[3];
    const auto ratio = [](double num, double den) {
        return num == 0.0 || den == 0.0 ? Feature::undefined(UR::TooShort)
                                        : valueOr(num / den, UR::NoVariability);
    };
    if (profile == HrvProfile::Reference) {
        const double tp = p[0] + p[1] + p[2] + p[3] + p[4];  // nansum: empty bands are 0
        out[ids.at(5)] = tp == 0.0 ? Feature::undefined(UR::TooShort) : Feature::of(tp);
        out[ids.at(7)] = ratio(lf, tp);
        out[ids.at(8)] = ratio(hf, tp);
    } else {
        const double tp = p[0] + p[1] + p[2] + p[3];  // Task Force: total power up to 0.4 Hz
        out[ids.at(5)] = tp == 0.0 ? Feature::undefined(UR::TooShort) : Feature::of(tp);
        const auto nu = [&](double x) {
            const auto r = ratio(x, lf + hf);
            return r.defined() ? Feature::of(100.0 * r.value()) : r;
        };
        out[ids.at(7)] = nu(lf);
        out[ids.at(8)] = nu(hf);
    }
    out[ids.at(6)] = ratio(lf, hf);
    out[ids.at(9)] =
        hf > 0.0 ? valueOr(std::log(hf), UR::NoVariability) : Feature::undefined(UR::TooShort);
}

void reference(const HrvSeries& s, bool welch, bool lomb, HrvFeatureSet& out) {
    auto x = sp::resample(s.t, s.rr, kReferenceRateHz, sp::SplineKind::Quadratic);
    const double n = static_cast<double>(x.size());
    if (x.size() < 4) {
        return;
    }
    const double mean = numeric::mean(x);
    for (auto& v : x) {
        v -= mean;
    }
    const double minHz = (2.0 * kReferenceRateHz) / (n / 2.0);
    if (welch) {
        auto nperseg = static_cast<std::size_t>((2.0 / minHz) * kReferenceRateHz);
        if (static_cast<double>(nperseg) > n / 2.0) {
            nperseg = static_cast<std::size_t>(n / 2.0);
        }
        const auto psd = sp::welch(x, kReferenceRateHz, nperseg, 2 * nperseg, kMaxHz);
        bandFeatures(cutBelow(psd, minHz), s.profile, Ids{Id::ULF}, out);
    }
    if (lomb) {
        const double baseline = (n - 1.0) / kReferenceRateHz;
        const double df = 1.0 / baseline / kSamplesPerPeak;
        // A record shorter than 8 s has its lowest frequency (4/duration) above 0.5 Hz.
        const double count = 1.0 + std::nearbyint((kMaxHz - minHz) / df);
        if (!(count >= 1.0)) {
            return;
        }
        const auto psd =
            sp::lombAstropy(x, kReferenceRateHz, minHz, df, static_cast<std::size_t>(count));
        bandFeatures(cutBelow(psd, minHz), s.profile, Ids{Id::ULF_LOMB}, out);
    }
}

std::vector<double> detrended(std::vector<double> x) {
    std::vector<double> idx(x.size());
    for (std::size_t i = 0; i < idx.size(); ++i) {
        idx[i] = static_cast<double>(i);
    }
    const double b = numeric::slope(idx, x);
    const double mx = numeric::mean(idx);
    const double my = numeric::mean(x);
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] -= my + (std::isfinite(b) ? b * (idx[i] - mx) : 0.0);
    }
    return x;
}

void taskforce(const HrvSeries& s, bool welch, bool lomb, HrvFeatureSet& out) {
    const double t0 = s.t.front() - s.rr.front() / 1000.0;
    const double duration = s.t.back() - t0;
    if (welch) {
        const auto x =
            detrended(sp::resample(s.t, s.rr, kTaskforceRateHz, sp::SplineKind::NaturalCubic));
        const auto segment =
            std::min(x.size(), static_cast<std::size_t>(kTaskforceSegmentS * kTaskforceRateHz));
        const auto psd = sp::welch(x, kTaskforceRateHz, segment, segment, kMaxHz);
        bandFeatures(cutBelow(psd, 0.0), s.profile, Ids{Id::ULF}, out);
    }
    if (lomb) {
        const double df = std::max(1.0 / duration / kSamplesPerPeak,
                                   kMaxHz / static_cast<double>(kMaxUnevenFrequencies));
        const auto count = static_cast<std::size_t>(kMaxHz / df);
        auto psd = sp::lombUneven(s.t, detrended(s.rr), df, df, count);
        // Scaled to a density in ms²/Hz whose integral is the variance (as PhysioNet's lomb):
        // a sinusoid of amplitude A peaks at N·A²/4 over a main lobe about 1/T wide.
        const double toDensity = 2.0 * duration / static_cast<double>(s.rr.size());
        for (auto& p : psd.power) {
            p *= toDensity;
        }
        bandFeatures(cutBelow(psd, 0.0), s.profile, Ids{Id::ULF_LOMB}, out);
    }
}

}  // namespace

void computeFrequencyDomain(const HrvSeries& s, bool welch, bool lomb, HrvFeatureSet& out) {
    const UR why = s.rr.size() < 3 ? UR::TooFewIntervals : UR::TooShort;
    if (welch) {
        setUndefined(Ids{Id::ULF}, why, out);
    }
    if (lomb) {
        setUndefined(Ids{Id::ULF_LOMB}, why, out);
    }
    if (s.rr.size() < 3) {
        return;
    }
    if (s.profile == HrvProfile::Reference) {
        reference(s, welch, lomb, out);
    } else {
        taskforce(s, welch, lomb, out);
    }
}

}  // namespace wardgate::dsp::detail
