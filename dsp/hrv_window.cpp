#include "dsp/hrv_window.hpp"

#include <algorithm>
#include <cmath>

namespace wardgate::dsp {
namespace {

constexpr double kNn50ThresholdMs = 50.0;

}  // namespace

RrWindower::RrWindower(WindowSpec spec) : spec_(spec) {
    WindowGrid::validate(spec);
}

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
    }
    closeWindowsEndingBefore(rr.endS, closed);
    openWindowsHolding(rr.endS);

    RrInterval accepted = rr;
    accepted.successive = rr.successive && !gapPending_;
    gapPending_ = false;
    for (auto& acc : open_) {
        add(acc, accepted);
    }
    prev_ = accepted;
    lastEndS_ = rr.endS;
}

void RrWindower::flush(std::vector<HrvWindowResult>& closed) noexcept {
    for (const auto& acc : open_) {
        emit(acc, closed);
    }
    open_.clear();
    grid_.reset();
    prev_.reset();
    lastEndS_ = 0.0;
    gapPending_ = false;
}

void RrWindower::closeWindowsEndingBefore(double t, std::vector<HrvWindowResult>& closed) noexcept {
    while (!open_.empty() && grid_->windowEnd(open_.front().k) < t) {
        emit(open_.front(), closed);
        open_.pop_front();
    }
}

// Opens (in order) every window that holds t and is not open yet: start < t <= end.
void RrWindower::openWindowsHolding(double t) {
    const std::int64_t last = grid_->lastWindowStartingBefore(t);
    std::int64_t k = grid_->firstWindowEndingAtOrAfter(t);
    if (!open_.empty()) {
        k = std::max(k, open_.back().k + 1);
    }
    for (; k <= last; ++k) {
        open_.push_back(Accumulator{k});
    }
}

void RrWindower::add(Accumulator& acc, const RrInterval& rr) const noexcept {
    if (acc.n == 0) {
        acc.shift = rr.rrMs;
    }
    ++acc.n;
    acc.sum += rr.rrMs;
    const double d = rr.rrMs - acc.shift;
    acc.s1 += d;
    acc.s2 += d * d;
    // A difference counts only when both intervals are in the window and no gap lies between.
    if (rr.successive && prev_ && prev_->endS > grid_->windowStart(acc.k)) {
        const double diff = rr.rrMs - prev_->rrMs;
        acc.sumSqDiff += diff * diff;
        ++acc.nDiffs;
        acc.nOver50 += std::abs(diff) > kNn50ThresholdMs ? 1U : 0U;
    }
}

void RrWindower::emit(const Accumulator& acc, std::vector<HrvWindowResult>& closed) const noexcept {
    const auto tooFew = Feature::undefined(UndefinedReason::TooFewIntervals);
    HrvTimeDomain td{tooFew, tooFew, tooFew, tooFew};
    const auto n = static_cast<double>(acc.n);
    td.meanNN = Feature::of(acc.sum / n);
    if (acc.n >= 2) {
        const double ss = std::max(acc.s2 - acc.s1 * acc.s1 / n, 0.0);
        td.sdnn = Feature::of(std::sqrt(ss / (n - 1.0)));
        if (acc.nDiffs == 0) {
            td.rmssd = Feature::undefined(UndefinedReason::MostlyGaps);
            td.pnn50 = td.rmssd;
        } else {
            const auto m = static_cast<double>(acc.nDiffs);
            td.rmssd = Feature::of(std::sqrt(acc.sumSqDiff / m));
            td.pnn50 = Feature::of(100.0 * static_cast<double>(acc.nOver50) / m);
        }
    }
    closed.push_back(
        HrvWindowResult{grid_->windowStart(acc.k), grid_->windowEnd(acc.k), acc.n, acc.nDiffs, td});
}

}  // namespace wardgate::dsp
