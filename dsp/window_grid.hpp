// The time grid of overlapping analysis windows, shared by the streaming windowers.
#pragma once

#include <cstdint>

#include "dsp/feature.hpp"

namespace wardgate::dsp {

/// Window k covers (start0 + k*hop, start0 + k*hop + length]. A point t belongs to window k when
/// windowStart(k) < t <= windowEnd(k). Boundaries are computed exactly as written (one multiply,
/// two adds in double), so the membership of a point never depends on how the stream was batched.
class WindowGrid {
  public:
    /// Throws std::invalid_argument unless spec.lengthS and spec.hopS are finite and > 0.
    WindowGrid(WindowSpec spec, double start0);

    [[nodiscard]] double windowStart(std::int64_t k) const noexcept;
    [[nodiscard]] double windowEnd(std::int64_t k) const noexcept;
    /// Smallest k >= 0 with windowEnd(k) >= t: the first window that can still hold a point at t.
    [[nodiscard]] std::int64_t firstWindowEndingAtOrAfter(double t) const noexcept;
    /// Largest k with windowStart(k) < t, or -1 when none: the last window holding a point at t.
    [[nodiscard]] std::int64_t lastWindowStartingBefore(double t) const noexcept;
    /// The largest time span after start0 the grid accepts (about 31 years), so window indices
    /// stay far from integer overflow.
    [[nodiscard]] bool inRange(double t) const noexcept;
    [[nodiscard]] double start0() const noexcept { return start0_; }
    [[nodiscard]] const WindowSpec& spec() const noexcept { return spec_; }

    /// Throws std::invalid_argument for a spec WindowGrid would refuse.
    static void validate(WindowSpec spec);

  private:
    WindowSpec spec_;
    double start0_;
};

}  // namespace wardgate::dsp
