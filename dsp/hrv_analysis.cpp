#include "dsp/hrv_analysis.hpp"

#include <algorithm>
#include <cmath>

#include "dsp/window_grid.hpp"

namespace wardgate::dsp {
namespace {

HrvWindowFeatures analyse(std::span<const RrInterval> in, double start, double end,
                          const HrvOptions& options) {
    HrvWindowFeatures w;
    w.startS = start;
    w.endS = end;
    w.nIntervals = in.size();
    for (std::size_t i = 1; i < in.size(); ++i) {
        w.nSuccessiveDiffs += in[i].successive ? 1U : 0U;
    }
    w.features = computeHrv(in, options);
    return w;
}

}  // namespace

CleanSeries dropBadIntervals(std::span<const RrInterval> rr) {
    CleanSeries out;
    bool gap = false;
    for (const auto& r : rr) {
        const bool bad = !std::isfinite(r.endS) || !std::isfinite(r.rrMs) || r.rrMs <= 0.0 ||
                         (!out.rr.empty() && r.endS < out.rr.back().endS);
        if (bad) {
            ++out.nDropped;
            gap = !out.rr.empty();
            continue;
        }
        out.rr.push_back(RrInterval{r.endS, r.rrMs, r.successive && !gap});
        gap = false;
    }
    return out;
}

std::vector<HrvWindowFeatures> analyzeWindows(std::span<const RrInterval> rr, WindowSpec spec,
                                              const HrvOptions& options) {
    const auto clean = dropBadIntervals(rr);
    std::vector<HrvWindowFeatures> out;
    if (clean.rr.empty()) {
        return out;
    }
    const auto& s = clean.rr;
    const WindowGrid grid(spec, s.front().endS - s.front().rrMs / 1000.0);
    const double last = s.back().endS;
    const auto byEnd = [](const RrInterval& r, double t) { return r.endS <= t; };
    for (std::int64_t k = 0; grid.windowStart(k) < last;) {
        const double start = grid.windowStart(k);
        const double end = grid.windowEnd(k);
        const auto first = std::lower_bound(s.begin(), s.end(), start, byEnd);
        const auto past = std::lower_bound(first, s.end(), end, byEnd);
        if (first != past) {
            out.push_back(analyse(std::span(first, past), start, end, options));
            ++k;
        } else {
            k = std::max(k + 1, grid.firstWindowEndingAtOrAfter(first->endS));
        }
    }
    return out;
}

HrvWindowFeatures analyzeWhole(std::span<const RrInterval> rr, const HrvOptions& options) {
    const auto clean = dropBadIntervals(rr);
    if (clean.rr.empty()) {
        return HrvWindowFeatures{};
    }
    const double start = clean.rr.front().endS - clean.rr.front().rrMs / 1000.0;
    return analyse(clean.rr, start, clean.rr.back().endS, options);
}

}  // namespace wardgate::dsp
