#include "dsp/numeric.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace wardgate::dsp::numeric {
namespace {

constexpr std::size_t kBlock = 128;  // numpy's PW_BLOCKSIZE
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double blockSum(const double* x, std::size_t n) noexcept {
    if (n < 8) {
        double s = 0.0;  // numpy starts this path from -0.0; the sign of zero is irrelevant here
        for (std::size_t i = 0; i < n; ++i) {
            s += x[i];
        }
        return s;
    }
    if (n <= kBlock) {
        double r[8];
        std::copy(x, x + 8, r);
        std::size_t i = 8;
        for (; i + 8 <= n; i += 8) {
            for (std::size_t j = 0; j < 8; ++j) {
                r[j] += x[i + j];
            }
        }
        double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; ++i) {
            s += x[i];
        }
        return s;
    }
    std::size_t half = n / 2;
    half -= half % 8;
    return blockSum(x, half) + blockSum(x + half, n - half);
}

}  // namespace

double pairwiseSum(std::span<const double> x) noexcept {
    return blockSum(x.data(), x.size());
}

double mean(std::span<const double> x) noexcept {
    if (x.empty()) {
        return kNaN;
    }
    return pairwiseSum(x) / static_cast<double>(x.size());
}

double stdDev(std::span<const double> x, double ddof) noexcept {
    const auto n = static_cast<double>(x.size());
    if (n <= ddof) {
        return kNaN;
    }
    const double m = mean(x);
    std::vector<double> sq(x.size());
    std::transform(x.begin(), x.end(), sq.begin(), [m](double v) { return (v - m) * (v - m); });
    return std::sqrt(pairwiseSum(sq) / (n - ddof));
}

double percentileSorted(std::span<const double> sorted, double q) noexcept {
    if (sorted.empty()) {
        return kNaN;
    }
    const double pos = q / 100.0 * static_cast<double>(sorted.size() - 1);
    const double lo = std::floor(pos);
    const auto i = static_cast<std::size_t>(lo);
    const double t = pos - lo;
    if (i + 1 >= sorted.size()) {
        return sorted.back();
    }
    const double a = sorted[i];
    const double b = sorted[i + 1];
    // numpy's _lerp: exact at both ends, symmetric around t = 0.5.
    return t >= 0.5 ? b - (b - a) * (1.0 - t) : a + (b - a) * t;
}

double percentile(std::span<const double> x, double q) {
    std::vector<double> s(x.begin(), x.end());
    std::sort(s.begin(), s.end());
    return percentileSorted(s, q);
}

double median(std::span<const double> x) {
    return percentile(x, 50.0);
}

double slope(std::span<const double> x, std::span<const double> y) noexcept {
    const double mx = mean(x);
    const double my = mean(y);
    double sxy = 0.0;
    double sxx = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxx > 0.0 ? sxy / sxx : kNaN;
}

}  // namespace wardgate::dsp::numeric
