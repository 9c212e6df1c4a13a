// SampEn, ApEn and DFA (docs/hrv.md, "Complexity"). All use the intervals in order with gaps
// concatenated, as both the reference toolkit and Kubios do.
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
constexpr std::size_t kM = 2;            // embedding dimension
constexpr double kToleranceSd = 0.2;     // r = 0.2 * SDNN
constexpr double kIsClose = 1e-8;        // numpy.isclose(x, 0) with its default atol
constexpr double kMinSegmentVar = 1e-8;  // DFA segments at or below this variance are dropped

struct Entropies {
    double sampEn = kNaN;
    double apEn = kNaN;
    UR why = UR::TooFewIntervals;
};

// Template matches with Chebyshev distance <= r, self-matches included, in one O(n²/2) pass:
// m-templates start at 0..n-m (ApEn), the SampEn m-templates drop the last one (0..n-m-1), and
// the (m+1)-templates start at 0..n-m-1 for both.
Entropies entropies(const std::vector<double>& x, double r) {
    Entropies e;
    const std::size_t n = x.size();
    if (n < kM + 2) {
        return e;
    }
    const std::size_t nm = n - kM + 1;  // number of m-templates
    std::vector<double> apM(nm, 1.0);
    std::vector<double> sampM(nm - 1, 1.0);
    std::vector<double> m1(nm - 1, 1.0);
    for (std::size_t i = 0; i < nm; ++i) {
        for (std::size_t j = i + 1; j < nm; ++j) {
            double d = 0.0;
            for (std::size_t k = 0; k < kM; ++k) {
                d = std::max(d, std::abs(x[i + k] - x[j + k]));
            }
            if (d > r) {
                continue;
            }
            apM[i] += 1.0;
            apM[j] += 1.0;
            if (j + 1 < nm) {
                sampM[i] += 1.0;
                sampM[j] += 1.0;
                if (std::abs(x[i + kM] - x[j + kM]) <= r) {
                    m1[i] += 1.0;
                    m1[j] += 1.0;
                }
            }
        }
    }
    const auto logMean = [](std::vector<double> c, double total) {
        for (auto& v : c) {
            v = std::log(v / total);
        }
        return numeric::mean(c);
    };
    e.apEn =
        std::abs(logMean(apM, static_cast<double>(nm)) - logMean(m1, static_cast<double>(nm - 1)));

    const auto ratioMean = [](std::vector<double> c, double others) {
        for (auto& v : c) {
            v = (v - 1.0) / others;
        }
        return numeric::mean(c);
    };
    const double others = static_cast<double>(nm - 2);
    const double b = ratioMean(sampM, others);
    const double a = ratioMean(m1, others);
    // The reference returns ±inf (reported as NaN) when B or A/B is numerically 0.
    if (std::abs(b) <= kIsClose || std::abs(a / b) <= kIsClose) {
        e.why = UR::NoVariability;
        return e;
    }
    e.sampEn = -std::log(a / b);
    return e;
}

// F(w): root of the mean residual variance of linear fits to the profile y over segments of w
// samples starting every `step` samples (while start < n - w), as NeuroKit2's fractal_dfa.
double fluctuation(const std::vector<double>& y, std::size_t w, std::size_t step) {
    const std::size_t n = y.size();
    const double xm = (static_cast<double>(w) - 1.0) / 2.0;
    double sxx = 0.0;
    for (std::size_t k = 0; k < w; ++k) {
        sxx += (static_cast<double>(k) - xm) * (static_cast<double>(k) - xm);
    }
    std::vector<double> vars;
    std::vector<double> res(w);
    for (std::size_t s = 0; s + w < n; s += step) {
        const std::span<const double> seg(y.data() + s, w);
        const double ym = numeric::mean(seg);
        double sxy = 0.0;
        for (std::size_t k = 0; k < w; ++k) {
            sxy += (static_cast<double>(k) - xm) * (seg[k] - ym);
        }
        const double b = sxy / sxx;
        for (std::size_t k = 0; k < w; ++k) {
            res[k] = seg[k] - ym - b * (static_cast<double>(k) - xm);
        }
        const double v = numeric::stdDev(res, 0.0);
        if (v * v > kMinSegmentVar) {
            vars.push_back(v * v);
        }
    }
    return vars.empty() ? kNaN : std::sqrt(numeric::mean(vars));
}

double dfaAlpha(const std::vector<double>& y, const std::vector<std::size_t>& scales,
                bool overlap) {
    std::vector<double> lx;
    std::vector<double> ly;
    for (std::size_t w : scales) {
        const double f = fluctuation(y, w, overlap ? w / 2 : w);
        if (!std::isfinite(f) || f <= 0.0) {
            return kNaN;
        }
        lx.push_back(std::log2(static_cast<double>(w)));
        ly.push_back(std::log2(f));
    }
    return lx.size() >= 2 ? numeric::slope(lx, ly) : kNaN;
}

std::vector<std::size_t> range(std::size_t from, std::size_t to) {
    std::vector<std::size_t> r;
    for (std::size_t w = from; w <= to; ++w) {
        r.push_back(w);
    }
    return r;
}

void dfa(const HrvSeries& s, HrvFeatureSet& out) {
    const std::size_t n = s.rr.size();
    const double mean = numeric::mean(s.rr);
    std::vector<double> y(n);
    double cum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        cum += s.rr[i] - mean;
        y[i] = cum;
    }
    out[Id::DFA_alpha1] = Feature::undefined(UR::TooFewIntervals);
    out[Id::DFA_alpha2] = Feature::undefined(UR::TooFewIntervals);
    if (s.profile == HrvProfile::Reference) {
        // alpha1 on 4..11 beats (needs 12 intervals), alpha2 on 12..int((n+1)/10).
        if (n < 12) {
            return;
        }
        out[Id::DFA_alpha1] = valueOr(dfaAlpha(y, range(4, 11), true), UR::NoVariability);
        const double maxBeats = (static_cast<double>(n) + 1.0) / 10.0;
        if (maxBeats >= 13.0) {
            const auto hi = static_cast<std::size_t>(maxBeats);
            out[Id::DFA_alpha2] = valueOr(dfaAlpha(y, range(12, hi), true), UR::NoVariability);
        }
        return;
    }
    // Task Force / Kubios: 4..16 and 16..64 beats, non-overlapping windows, at least two
    // windows of the largest scale.
    if (n >= 2 * 16 + 1) {
        out[Id::DFA_alpha1] = valueOr(dfaAlpha(y, range(4, 16), false), UR::NoVariability);
    }
    if (n >= 2 * 64 + 1) {
        out[Id::DFA_alpha2] = valueOr(dfaAlpha(y, range(16, 64), false), UR::NoVariability);
    }
}

}  // namespace

void computeComplexity(const HrvSeries& s, HrvFeatureSet& out) {
    const double r = kToleranceSd * numeric::stdDev(s.rr, 1.0);
    const auto e = std::isfinite(r) ? entropies(s.rr, r) : Entropies{};
    out[Id::ApEn] = valueOr(e.apEn, UR::TooFewIntervals);
    out[Id::SampEn] = valueOr(e.sampEn, e.why);
    dfa(s, out);
}

}  // namespace wardgate::dsp::detail
