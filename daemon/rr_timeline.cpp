#include "daemon/rr_timeline.hpp"

#include <numeric>

namespace wardgate::daemon {

void RrTimeline::add(double arrivalS, std::span<const double> rrMs,
                     std::vector<dsp::RrInterval>& out) {
    const double sumS = std::accumulate(rrMs.begin(), rrMs.end(), 0.0) / 1000.0;
    if (sumS <= 0.0) {
        return;
    }

    // A notification carries the beats that ended since the previous one, so
    // its last beat ended shortly before it arrived. If summing forward from
    // the last known beat leaves us far behind the arrival time, beats were
    // lost in between and the timeline starts again from the arrival.
    bool successive = anchored_;
    if (anchored_ && arrivalS - (lastBeatS_ + sumS) > toleranceS_) {
        successive = false;
        ++gaps_;
    }
    if (!successive) {
        lastBeatS_ = arrivalS - sumS;
        anchored_ = true;
    }

    for (const double rr : rrMs) {
        if (rr <= 0.0) {
            continue;
        }
        lastBeatS_ += rr / 1000.0;
        out.push_back(dsp::RrInterval{lastBeatS_, rr, successive});
        successive = true;
    }
}

}  // namespace wardgate::daemon
