#include <cmath>

#include "dsp/hrv_detail.hpp"

namespace wardgate::dsp::detail {
namespace {

// NeuroKit2's _intervals_time_uniform: all diff(t) equal after rounding to 1 ms (np.round).
bool timesUniform(const std::vector<double>& t) noexcept {
    if (t.size() < 2) {
        return true;
    }
    const auto rounded = [](double d) { return std::nearbyint(d * 1000.0) / 1000.0; };
    const double first = rounded(t[1] - t[0]);
    for (std::size_t i = 2; i < t.size(); ++i) {
        if (rounded(t[i] - t[i - 1]) != first) {
            return false;
        }
    }
    return true;
}

}  // namespace

HrvSeries prepareSeries(std::span<const RrInterval> rr, HrvProfile profile) {
    HrvSeries s;
    s.profile = profile;
    s.rr.reserve(rr.size());
    s.t.reserve(rr.size());
    std::vector<bool> flagged;
    bool gap = false;
    for (const auto& r : rr) {
        const bool bad = !std::isfinite(r.rrMs) || !std::isfinite(r.endS) || r.rrMs <= 0.0 ||
                         (!s.t.empty() && r.endS < s.t.back());
        if (bad) {
            gap = !s.rr.empty();  // the next kept interval does not follow the last kept one
            continue;
        }
        if (!s.rr.empty()) {
            flagged.push_back(r.successive && !gap);
        }
        s.rr.push_back(r.rrMs);
        s.t.push_back(r.endS);
        gap = false;
    }

    std::size_t nFlagged = 0;
    for (bool f : flagged) {
        nFlagged += f ? 1U : 0U;
    }
    const bool useFlags = profile == HrvProfile::Taskforce ||
                          (nFlagged > 0 && nFlagged < flagged.size() && !timesUniform(s.t));
    for (std::size_t i = 1; i < s.rr.size(); ++i) {
        if (!useFlags || flagged[i - 1]) {
            s.pairs.push_back(i);
            s.diffs.push_back(s.rr[i] - s.rr[i - 1]);
        }
    }
    return s;
}

}  // namespace wardgate::dsp::detail
