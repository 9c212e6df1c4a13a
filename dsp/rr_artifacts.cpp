#include "dsp/rr_artifacts.hpp"

#include <algorithm>
#include <cmath>

#include "dsp/hrv_analysis.hpp"
#include "dsp/numeric.hpp"

namespace wardgate::dsp {
namespace {

constexpr double kC1 = 0.13;
constexpr double kC2 = 0.17;
constexpr double kAlpha = 5.2;
constexpr std::size_t kThresholdWindow = 91;
constexpr std::size_t kMedianWindow = 11;
constexpr std::size_t kMinRun = 4;
// Deviation from the paper: thresholds are at least this share of the local median RR. A very
// regular rhythm recorded at 1/128 s resolution has a quartile deviation of one sample or less,
// and the plain rule then flags ordinary ±8 ms alternations (2-4 % of beats on clean Holter NN
// series); real artifacts change an interval by 20 % or more.
constexpr double kMinThresholdShare = 0.05;

// alpha × quartile deviation of |x| over a centred window (pandas rolling, min_periods=1),
// at least kMinThresholdShare × the local median RR.
std::vector<double> threshold(const std::vector<double>& x, const std::vector<double>& medrr) {
    const std::size_t half = kThresholdWindow / 2;
    std::vector<double> th(x.size());
    std::vector<double> w;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const std::size_t lo = i > half ? i - half : 0;
        const std::size_t hi = std::min(x.size(), i + half + 1);
        w.clear();
        for (std::size_t k = lo; k < hi; ++k) {
            w.push_back(std::abs(x[k]));
        }
        std::sort(w.begin(), w.end());
        const double qd =
            (numeric::percentileSorted(w, 75.0) - numeric::percentileSorted(w, 25.0)) / 2.0;
        th[i] = std::max(kAlpha * qd, kMinThresholdShare * medrr[i]);
    }
    return th;
}

std::vector<double> medianFilter(const std::vector<double>& x) {
    const std::size_t half = kMedianWindow / 2;
    std::vector<double> out(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const std::size_t lo = i > half ? i - half : 0;
        const std::size_t hi = std::min(x.size(), i + half + 1);
        out[i] = numeric::median(std::span<const double>(x.data() + lo, hi - lo));
    }
    return out;
}

// Divides by a threshold, treating a zero threshold (a perfectly regular run) as "no artifact".
void normalise(std::vector<double>& x, const std::vector<double>& th) {
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = th[i] > 0.0 ? x[i] / th[i] : 0.0;
    }
}

struct Series {
    std::vector<double> drrs;  // normalised successive differences
    std::vector<double> mrrs;  // normalised deviation from the median
    std::vector<double> medrr;
    std::vector<double> th2;
    std::vector<double> s12;
    std::vector<double> s22;
};

Series prepare(std::span<const double> rr) {
    const std::size_t n = rr.size();
    Series s;
    s.drrs.resize(n);
    for (std::size_t i = 1; i < n; ++i) {
        s.drrs[i] = rr[i] - rr[i - 1];
    }
    s.drrs[0] = numeric::mean(std::span<const double>(s.drrs.data() + 1, n - 1));
    std::vector<double> r(rr.begin(), rr.end());
    s.medrr = medianFilter(r);
    normalise(s.drrs, threshold(s.drrs, s.medrr));

    s.mrrs.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double m = rr[i] - s.medrr[i];
        s.mrrs[i] = m < 0.0 ? 2.0 * m : m;
    }
    s.th2 = threshold(s.mrrs, s.medrr);
    normalise(s.mrrs, s.th2);

    // np.pad(drrs, 2, "reflect"): index -1 -> 1, -2 -> 2, n -> n-2, n+1 -> n-3.
    const auto at = [&](long i) {
        const long last = static_cast<long>(n) - 1;
        if (i < 0) {
            i = -i;
        } else if (i > last) {
            i = 2 * last - i;
        }
        return s.drrs[static_cast<std::size_t>(std::clamp(i, 0L, last))];
    };
    s.s12.assign(n, 0.0);
    s.s22.assign(n, 0.0);
    for (std::size_t d = 0; d < n; ++d) {
        const auto i = static_cast<long>(d);
        if (s.drrs[d] > 0.0) {
            s.s12[d] = std::max(at(i - 1), at(i + 1));
        } else if (s.drrs[d] < 0.0) {
            s.s12[d] = std::min(at(i - 1), at(i + 1));
        }
        s.s22[d] =
            s.drrs[d] >= 0.0 ? std::min(at(i + 1), at(i + 2)) : std::max(at(i + 1), at(i + 2));
    }
    return s;
}

// Figure 1 and 2 of the paper for candidate j; returns true when j was classified.
bool classifyLongShort(std::span<const double> rr, const Series& s, std::size_t j,
                       ArtifactReport& out) {
    const bool eq3 = s.drrs[j] > 1.0 && s.s22[j] < -1.0;
    const bool eq4 = std::abs(s.mrrs[j]) > 3.0;
    const bool eq5 = s.drrs[j] < -1.0 && s.s22[j] > 1.0;
    if (!eq3 && !eq4 && !eq5) {
        return false;
    }
    const bool eq6 = std::abs(rr[j] / 2.0 - s.medrr[j]) < s.th2[j];
    const bool eq7 = j + 1 < rr.size() && std::abs(rr[j] + rr[j + 1] - s.medrr[j]) < s.th2[j];
    if (eq5 && eq7) {
        out.extra.push_back(j);
    } else if (eq3 && eq6) {
        out.missed.push_back(j);
    } else {
        out.longShort.push_back(j);
    }
    return true;
}

}  // namespace

ArtifactReport detectArtifacts(std::span<const double> rr) {
    ArtifactReport out;
    if (rr.size() < kMinRun) {
        return out;
    }
    const auto s = prepare(rr);
    for (std::size_t i = 0; i + 2 < rr.size(); ++i) {
        const double d = s.drrs[i];
        if (std::abs(d) <= 1.0) {
            continue;
        }
        const bool eq1 = d > 1.0 && s.s12[i] < -kC1 * d - kC2;
        const bool eq2 = d < -1.0 && s.s12[i] > -kC1 * d + kC2;
        if (eq1 || eq2) {
            out.ectopic.push_back(i);
            continue;
        }
        std::vector<std::size_t> candidates{i};
        if (std::abs(s.drrs[i + 1]) < std::abs(s.drrs[i + 2])) {
            candidates.push_back(i + 1);
        }
        for (std::size_t j : candidates) {
            if (classifyLongShort(rr, s, j, out)) {
                break;
            }
        }
    }
    return out;
}

namespace {

enum class Fix { None, Move, Insert, Remove };

// Applies the fixes of one gap-free run [first, past) of `in` and appends the result to out.
std::size_t correctRun(std::span<const RrInterval> run, CorrectionResult& result,
                       std::size_t offset) {
    auto& out = result.rr;
    auto& found = result.found;
    std::vector<double> rr(run.size());
    for (std::size_t i = 0; i < run.size(); ++i) {
        rr[i] = run[i].rrMs;
    }
    const auto report = detectArtifacts(rr);
    std::vector<Fix> fix(run.size(), Fix::None);
    const auto mark = [&](const std::vector<std::size_t>& idx, Fix f,
                          std::vector<std::size_t>& dst) {
        for (std::size_t i : idx) {
            dst.push_back(i + offset);
            if (fix[i] == Fix::None) {
                fix[i] = f;
            }
        }
    };
    mark(report.ectopic, Fix::Move, found.ectopic);
    mark(report.longShort, Fix::Move, found.longShort);
    mark(report.missed, Fix::Insert, found.missed);
    mark(report.extra, Fix::Remove, found.extra);

    std::size_t changed = 0;
    std::vector<RrInterval> res(run.begin(), run.end());
    for (std::size_t i = 0; i < res.size(); ++i) {
        const bool hasNext = i + 1 < res.size() && res[i + 1].rrMs > 0.0;
        if (fix[i] == Fix::Move && i >= 1 && hasNext) {
            const double mean = (res[i].rrMs + res[i + 1].rrMs) / 2.0;
            res[i].endS = res[i + 1].endS - mean / 1000.0;
            res[i].rrMs = mean;
            res[i + 1].rrMs = mean;
            result.correctedAtS.push_back(res[i].endS);
            ++changed;
        } else if (fix[i] == Fix::Remove && hasNext) {
            res[i + 1].rrMs += res[i].rrMs;
            res[i + 1].successive = res[i].successive;
            res[i].rrMs = 0.0;  // dropped below
            result.correctedAtS.push_back(res[i + 1].endS);
            ++changed;
        }
    }
    for (std::size_t i = 0; i < res.size(); ++i) {
        if (res[i].rrMs <= 0.0) {
            continue;
        }
        if (fix[i] == Fix::Insert) {
            const double half = res[i].rrMs / 2.0;
            out.push_back(RrInterval{res[i].endS - half / 1000.0, half, res[i].successive});
            out.push_back(RrInterval{res[i].endS, half, true});
            result.correctedAtS.push_back(res[i].endS - half / 1000.0);
            ++changed;
            continue;
        }
        out.push_back(res[i]);
    }
    return changed;
}

}  // namespace

CorrectionResult correctArtifacts(std::span<const RrInterval> input,
                                  const ArtifactOptions& options) {
    CorrectionResult result;
    std::vector<RrInterval> kept;
    bool gap = false;
    const auto clean = dropBadIntervals(input);
    for (const auto& r : clean.rr) {
        if (r.rrMs < options.minRrMs || r.rrMs > options.maxRrMs) {
            ++result.nImplausible;
            result.correctedAtS.push_back(r.endS);
            gap = true;
            continue;
        }
        kept.push_back(RrInterval{r.endS, r.rrMs, r.successive && !gap});
        gap = false;
    }
    result.nCorrected = result.nImplausible;
    for (std::size_t first = 0; first < kept.size();) {
        std::size_t past = first + 1;
        while (past < kept.size() && kept[past].successive) {
            ++past;
        }
        result.nCorrected +=
            correctRun(std::span(kept).subspan(first, past - first), result, first);
        first = past;
    }
    std::sort(result.correctedAtS.begin(), result.correctedAtS.end());
    return result;
}

}  // namespace wardgate::dsp
