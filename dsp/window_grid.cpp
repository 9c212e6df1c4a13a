#include "dsp/window_grid.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace wardgate::dsp {
namespace {

constexpr double kMaxSpanS = 1.0e9;

}  // namespace

void WindowGrid::validate(WindowSpec spec) {
    if (!std::isfinite(spec.lengthS) || !std::isfinite(spec.hopS) || spec.lengthS <= 0.0 ||
        spec.hopS <= 0.0) {
        throw std::invalid_argument("WindowSpec: lengthS and hopS must be finite and > 0");
    }
}

WindowGrid::WindowGrid(WindowSpec spec, double start0) : spec_(spec), start0_(start0) {
    validate(spec);
    if (!std::isfinite(start0)) {
        throw std::invalid_argument("WindowGrid: start0 must be finite");
    }
}

double WindowGrid::windowStart(std::int64_t k) const noexcept {
    return start0_ + static_cast<double>(k) * spec_.hopS;
}

double WindowGrid::windowEnd(std::int64_t k) const noexcept {
    return start0_ + static_cast<double>(k) * spec_.hopS + spec_.lengthS;
}

bool WindowGrid::inRange(double t) const noexcept {
    return std::isfinite(t) && std::abs(t - start0_) <= kMaxSpanS &&
           std::abs(t - start0_) / spec_.hopS <= kMaxSpanS;
}

std::int64_t WindowGrid::firstWindowEndingAtOrAfter(double t) const noexcept {
    // The closed form can be off by one after rounding; the exact boundary formula decides.
    const double guess = std::ceil((t - start0_ - spec_.lengthS) / spec_.hopS);
    auto k = static_cast<std::int64_t>(std::max(guess, 0.0));
    while (k > 0 && windowEnd(k - 1) >= t) {
        --k;
    }
    while (windowEnd(k) < t) {
        ++k;
    }
    return k;
}

std::int64_t WindowGrid::lastWindowStartingBefore(double t) const noexcept {
    const double guess = std::floor((t - start0_) / spec_.hopS);
    auto k = static_cast<std::int64_t>(std::max(guess, -1.0));
    while (k >= 0 && windowStart(k) >= t) {
        --k;
    }
    while (windowStart(k + 1) < t) {
        ++k;
    }
    return k;
}

}  // namespace wardgate::dsp
