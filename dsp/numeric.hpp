// Small numeric helpers shared by the HRV code. They follow numpy's algorithms where the
// `reference` profile must agree with NumPy to ~1e-12 (pairwise summation, linear percentiles).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace wardgate::dsp::numeric {

/// Sum with numpy's pairwise algorithm (8-way unrolled blocks of up to 128, halves above).
[[nodiscard]] double pairwiseSum(std::span<const double> x) noexcept;
/// pairwiseSum(x) / n; NaN for an empty span (callers turn that into an undefined Feature).
[[nodiscard]] double mean(std::span<const double> x) noexcept;
/// Standard deviation with divisor n - ddof, two-pass as numpy.std; NaN when n <= ddof.
[[nodiscard]] double stdDev(std::span<const double> x, double ddof) noexcept;
/// numpy.percentile(x, q) with the default linear interpolation; x need not be sorted.
[[nodiscard]] double percentile(std::span<const double> x, double q);
/// Same as percentile() on data already sorted ascending.
[[nodiscard]] double percentileSorted(std::span<const double> sorted, double q) noexcept;
[[nodiscard]] double median(std::span<const double> x);
/// Least-squares slope of y on x (both the same length >= 2); NaN if x is constant.
[[nodiscard]] double slope(std::span<const double> x, std::span<const double> y) noexcept;

}  // namespace wardgate::dsp::numeric
