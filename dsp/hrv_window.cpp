#include "dsp/hrv_window.hpp"

#include <algorithm>
#include <cmath>

namespace wardgate::dsp {

RrWindower::RrWindower(WindowSpec spec) : spec_(spec) { WindowGrid::validate(spec); }

bool RrWindower::acceptable(const RrInterval& rr) const noexcept {
    if (!std::isfinite(rr.endS) || !std::isfinite(rr.rrMs) || rr.rrMs <= 0.0) {
        return false;
    }
    if (!grid_) {
        return true;
    }
    return rr.endS >= lastEndS_ && grid_->inRange(rr.endS);
}

void RrWindower::push(const RrInterval& rr, std::vector<HrvWindowResult>& closed) noexcept {
    if (!acceptable(rr)) {
        ++dropped_;
        gapPending_ = grid_.has_value();
        return;
    }
    if (!grid_) {
        grid_.emplace(spec_, rr.endS - rr.rrMs / 1000.0);
        nextWindow_ = 0;
    }
    closeWindowsEndingBefore(rr.endS, closed);

    RrInterval accepted = rr;
    accepted.successive = rr.successive && !gapPending_;
    gapPending_ = false;
    buffer_.push_back(accepted);
    lastEndS_ = rr.endS;
}

void RrWindower::flush(std::vector<HrvWindowResult>& closed) noexcept {
    if (grid_ && !buffer_.empty()) {
        const double last = buffer_.back().endS;
        while (!buffer_.empty() && grid_->windowStart(nextWindow_) < last) {
            emitWindow(nextWindow_, closed);
            advancePast(nextWindow_);
        }
    }
    buffer_.clear();
    grid_.reset();
    nextWindow_ = 0;
    lastEndS_ = 0.0;
    gapPending_ = false;
}

void RrWindower::closeWindowsEndingBefore(double t, std::vector<HrvWindowResult>& closed) noexcept {
    while (grid_->windowEnd(nextWindow_) < t) {
        emitWindow(nextWindow_, closed);
        advancePast(nextWindow_);
        if (buffer_.empty()) {
            // Nothing buffered: every window ending before t would be empty, skip them at once.
            nextWindow_ = std::max(nextWindow_, grid_->firstWindowEndingAtOrAfter(t));
            return;
        }
    }
}

void RrWindower::advancePast(std::int64_t k) noexcept {
    nextWindow_ = k + 1;
    const double start = grid_->windowStart(nextWindow_);
    while (!buffer_.empty() && buffer_.front().endS <= start) {
        buffer_.pop_front();
    }
    if (!buffer_.empty()) {
        // Jump over windows that would hold nothing (a long pause in the stream).
        nextWindow_ =
            std::max(nextWindow_, grid_->firstWindowEndingAtOrAfter(buffer_.front().endS));
    }
}

void RrWindower::emitWindow(std::int64_t k, std::vector<HrvWindowResult>& closed) noexcept {
    const double start = grid_->windowStart(k);
    const double end = grid_->windowEnd(k);
    scratch_.clear();
    for (const auto& r : buffer_) {
        if (r.endS > end) {
            break;
        }
        if (r.endS > start) {
            scratch_.push_back(r);
        }
    }
    if (scratch_.empty()) {
        return;
    }
    closed.push_back(HrvWindowResult{start, end, scratch_.size(),
                                     countSuccessiveDiffs(scratch_), computeTimeDomain(scratch_)});
}

}  // namespace wardgate::dsp
