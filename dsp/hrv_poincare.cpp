// Poincaré plot, heart-rate asymmetry and fragmentation (docs/hrv.md, "Nonlinear").
// All use the pairs (rr[i-1], rr[i]) that HrvSeries allows, i.e. never across a flagged gap
// (reference profile: NeuroKit2's rule for when gaps are honoured).
#include <algorithm>
#include <cmath>
#include <numbers>

#include "dsp/hrv_detail.hpp"
#include "dsp/numeric.hpp"

namespace wardgate::dsp::detail {
namespace {

using Id = HrvFeatureId;
using UR = UndefinedReason;
using numeric::pairwiseSum;

struct Pairs {
    std::vector<double> x;  // rr[i-1]
    std::vector<double> y;  // rr[i]
};

Pairs pairsOf(const HrvSeries& s) {
    Pairs p;
    for (std::size_t i : s.pairs) {
        p.x.push_back(s.rr[i - 1]);
        p.y.push_back(s.rr[i]);
    }
    return p;
}

template <typename Pred>
std::vector<double> select(const std::vector<double>& v, const std::vector<double>& key,
                           Pred pred) {
    std::vector<double> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (pred(key[i])) {
            out.push_back(v[i]);
        }
    }
    return out;
}

std::vector<double> squares(std::vector<double> v) {
    for (auto& e : v) {
        e *= e;
    }
    return v;
}

void poincare(const Pairs& p, UR why, HrvFeatureSet& out) {
    std::vector<double> x1(p.x.size());
    std::vector<double> x2(p.x.size());
    for (std::size_t i = 0; i < p.x.size(); ++i) {
        x1[i] = (p.x[i] - p.y[i]) / std::numbers::sqrt2;
        x2[i] = (p.x[i] + p.y[i]) / std::numbers::sqrt2;
    }
    const double sd1 = numeric::stdDev(x1, 1.0);
    const double sd2 = numeric::stdDev(x2, 1.0);
    out[Id::SD1] = valueOr(sd1, why);
    out[Id::SD2] = valueOr(sd2, why);
    if (!std::isfinite(sd1) || !std::isfinite(sd2)) {
        for (Id id : {Id::SD1SD2, Id::S, Id::CSI, Id::CVI, Id::CSI_Modified}) {
            out[id] = Feature::undefined(why);
        }
        return;
    }
    const double t = 4.0 * sd1;
    const double l = 4.0 * sd2;
    out[Id::SD1SD2] = valueOr(sd1 / sd2, UR::NoVariability);
    out[Id::S] = Feature::of(std::numbers::pi * sd1 * sd2);
    out[Id::CSI] = valueOr(l / t, UR::NoVariability);
    out[Id::CVI] = valueOr(std::log10(l * t), UR::NoVariability);
    out[Id::CSI_Modified] = valueOr(l * l / t, UR::NoVariability);
}

void asymmetry(const Pairs& p, HrvFeatureSet& out) {
    const std::size_t n = p.x.size();
    std::vector<double> diff(n), dist(n), distL2(n), theta(n), area(n);
    const double cx = numeric::mean(p.x);
    const double cy = numeric::mean(p.y);
    for (std::size_t i = 0; i < n; ++i) {
        const double x = p.x[i];
        const double y = p.y[i];
        diff[i] = y - x;
        dist[i] = std::abs(y - x) / std::numbers::sqrt2;
        distL2[i] = std::abs((x - cx) + (y - cy)) / std::numbers::sqrt2;
        theta[i] = std::abs(std::atan(1.0) - std::atan(y / x));
        area[i] = 0.5 * theta[i] * (std::sqrt(x * x + y * y) * std::sqrt(x * x + y * y));
    }
    const auto dec = [](double d) { return d > 0.0; };
    const auto acc = [](double d) { return d < 0.0; };
    const auto same = [](double d) { return d == 0.0; };
    const auto share = [&](const std::vector<double>& v) {
        return pairwiseSum(select(v, diff, dec)) / pairwiseSum(v) * 100.0;
    };
    out[Id::GI] = valueOr(share(dist), UR::NoVariability);
    out[Id::SI] = valueOr(share(theta), UR::NoVariability);
    out[Id::AI] = valueOr(share(area), UR::NoVariability);
    const auto nAcc = static_cast<double>(std::count_if(diff.begin(), diff.end(), acc));
    const auto nSame = static_cast<double>(std::count_if(diff.begin(), diff.end(), same));
    out[Id::PI] = valueOr(nAcc / (static_cast<double>(n) - nSame) * 100.0, UR::NoVariability);

    const double nm1 = static_cast<double>(n) - 1.0;
    const double sd1d = std::sqrt(pairwiseSum(squares(select(dist, diff, dec))) / nm1);
    const double sd1a = std::sqrt(pairwiseSum(squares(select(dist, diff, acc))) / nm1);
    const double sd1i = std::sqrt(sd1d * sd1d + sd1a * sd1a);
    const double longDec = pairwiseSum(squares(select(distL2, diff, dec))) / nm1;
    const double longAcc = pairwiseSum(squares(select(distL2, diff, acc))) / nm1;
    const double longSame = pairwiseSum(squares(select(distL2, diff, same))) / nm1;
    const double sd2d = std::sqrt(longDec + 0.5 * longSame);
    const double sd2a = std::sqrt(longAcc + 0.5 * longSame);
    const double sd2i = std::sqrt(sd2d * sd2d + sd2a * sd2a);
    const double sdnnd = std::sqrt(0.5 * (sd1d * sd1d + sd2d * sd2d));
    const double sdnna = std::sqrt(0.5 * (sd1a * sd1a + sd2a * sd2a));
    const double sdnn = std::sqrt(sdnnd * sdnnd + sdnna * sdnna);
    const auto sq = [](double v) { return v * v; };
    out[Id::C1d] = valueOr(sq(sd1d / sd1i), UR::NoVariability);
    out[Id::C1a] = valueOr(sq(sd1a / sd1i), UR::NoVariability);
    out[Id::SD1d] = valueOr(sd1d, UR::TooFewIntervals);
    out[Id::SD1a] = valueOr(sd1a, UR::TooFewIntervals);
    out[Id::C2d] = valueOr(sq(sd2d / sd2i), UR::NoVariability);
    out[Id::C2a] = valueOr(sq(sd2a / sd2i), UR::NoVariability);
    out[Id::SD2d] = valueOr(sd2d, UR::TooFewIntervals);
    out[Id::SD2a] = valueOr(sd2a, UR::TooFewIntervals);
    out[Id::Cd] = valueOr(sq(sdnnd / sdnn), UR::NoVariability);
    out[Id::Ca] = valueOr(sq(sdnna / sdnn), UR::NoVariability);
    out[Id::SDNNd] = valueOr(sdnnd, UR::TooFewIntervals);
    out[Id::SDNNa] = valueOr(sdnna, UR::TooFewIntervals);
}

// Lengths of the runs of consecutive integers in an increasing index list.
std::vector<std::size_t> runLengths(const std::vector<std::size_t>& idx) {
    std::vector<std::size_t> runs;
    for (std::size_t i = 0; i < idx.size(); ++i) {
        if (i == 0 || idx[i] != idx[i - 1] + 1) {
            runs.push_back(0);
        }
        ++runs.back();
    }
    return runs;
}

void fragmentation(const std::vector<double>& d, HrvFeatureSet& out) {
    const auto sign = [](double v) { return v > 0.0 ? 1 : (v < 0.0 ? -1 : 0); };
    std::vector<std::size_t> crossings;
    std::vector<std::size_t> up;
    std::vector<std::size_t> down;
    for (std::size_t i = 0; i < d.size(); ++i) {
        if (i + 1 < d.size() && sign(d[i + 1]) != sign(d[i])) {
            crossings.push_back(i);
        }
        if (d[i] > 0.0) {
            up.push_back(i);
        } else if (d[i] < 0.0) {
            down.push_back(i);
        }
    }
    out[Id::PIP] =
        valueOr(static_cast<double>(crossings.size()) / static_cast<double>(d.size() + 1),
                UR::TooFewIntervals);

    auto segments = runLengths(up);
    const auto downRuns = runLengths(down);
    segments.insert(segments.end(), downRuns.begin(), downRuns.end());
    double total = 0.0;
    double shortOnes = 0.0;
    for (std::size_t len : segments) {
        total += static_cast<double>(len);
        shortOnes += len < 3 ? 1.0 : 0.0;
    }
    const auto nSeg = static_cast<double>(segments.size());
    out[Id::IALS] = valueOr(nSeg / total, UR::NoVariability);
    out[Id::PSS] = valueOr(shortOnes / nSeg, UR::NoVariability);

    const auto alternations = runLengths(crossings);
    const auto longOnes = std::count_if(alternations.begin(), alternations.end(),
                                        [](std::size_t len) { return len >= 4; });
    out[Id::PAS] = valueOr(static_cast<double>(longOnes) / static_cast<double>(alternations.size()),
                           UR::NoVariability);
}

}  // namespace

void computePoincare(const HrvSeries& s, HrvFeatureSet& out) {
    const UR why = s.rr.size() < 3 ? UR::TooFewIntervals : UR::MostlyGaps;
    const auto p = pairsOf(s);
    poincare(p, why, out);
    if (p.x.size() < 2) {
        for (Id id : {Id::GI, Id::SI, Id::AI, Id::PI, Id::C1d, Id::C1a, Id::SD1d, Id::SD1a, Id::C2d,
                      Id::C2a, Id::SD2d, Id::SD2a, Id::Cd, Id::Ca, Id::SDNNd, Id::SDNNa}) {
            out[id] = Feature::undefined(why);
        }
    } else {
        asymmetry(p, out);
    }
    if (s.diffs.empty()) {
        for (Id id : {Id::PIP, Id::IALS, Id::PSS, Id::PAS}) {
            out[id] = Feature::undefined(why);
        }
    } else {
        fragmentation(s.diffs, out);
    }
}

}  // namespace wardgate::dsp::detail
