// Rebuilds beat times from Heart Rate Measurement notifications.
//
// 0x2A37 carries RR intervals but no timestamps, so the gateway dates each
// beat itself: the first beat of a stream is anchored to the notification's
// arrival, later beats follow by summing RR intervals, and whenever the sum
// falls behind the arrival clock by more than a tolerance, packets were lost:
// the timeline re-anchors and marks the next interval as not successive so
// that no successive difference ever bridges the gap.
//
// Times are "stream seconds" on the gateway's (possibly scaled) monotonic
// clock. Single-threaded; owned by one band pipeline.
#pragma once

#include <span>
#include <vector>

#include "dsp/rr_interval.hpp"

namespace wardgate::daemon {

class RrTimeline {
  public:
    // toleranceS: how far (stream seconds) the RR sum may lag the arrival
    // clock before the stream counts as interrupted.
    explicit RrTimeline(double toleranceS) : toleranceS_(toleranceS) {}

    // Dates the intervals of one notification that arrived at arrivalS and
    // appends them to `out`, oldest first. Intervals of zero length are
    // dropped (they carry no beat).
    void add(double arrivalS, std::span<const double> rrMs, std::vector<dsp::RrInterval>& out);

    // The link dropped: the next interval starts a new segment.
    void markInterrupted() noexcept { anchored_ = false; }

    [[nodiscard]] std::size_t gapCount() const noexcept { return gaps_; }

  private:
    double toleranceS_;
    double lastBeatS_ = 0.0;
    bool anchored_ = false;
    std::size_t gaps_ = 0;
};

}  // namespace wardgate::daemon
