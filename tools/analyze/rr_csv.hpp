// Reading RR-interval CSV files (`t_s,rr_ms`) for offline analysis.
#pragma once

#include <istream>
#include <stdexcept>
#include <string>
#include <vector>

#include "dsp/rr_interval.hpp"

namespace wardgate::analyze {

/// A CSV the analyzer refuses, with a message that says what to fix.
class InputError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Reads rows `t_s,rr_ms` after a header naming those two columns (in either order; extra
/// columns are ignored). `successive` is set by the data README's rule: interval i follows
/// i-1 when |(t_i - t_{i-1})·1000 - rr_i| <= 10 ms.
/// Throws InputError for a missing header/column, a non-numeric cell, an empty file, or RR
/// values that look like seconds (median below 10, i.e. "0.8" instead of "800").
/// Non-monotonic times are passed through: the DSP drops such intervals and counts them.
[[nodiscard]] std::vector<dsp::RrInterval> readRrCsv(std::istream& in);

}  // namespace wardgate::analyze
