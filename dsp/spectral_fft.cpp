#include <cmath>
#include <numbers>

#include "dsp/spectral.hpp"

namespace wardgate::dsp::spectral {
namespace {

using Complex = std::complex<double>;

std::size_t nextPow2(std::size_t n) {
    std::size_t p = 1;
    while (p < n) {
        p <<= 1U;
    }
    return p;
}

// exp(i·π·c·m²) with the phase reduced to [0, 1) cycles before the trig call.
Complex chirp(double halfDf, double m) {
    const double cycles = halfDf * m * m;
    const double frac = cycles - std::floor(cycles);
    return std::polar(1.0, 2.0 * std::numbers::pi * frac);
}

}  // namespace

void fftPow2(std::vector<Complex>& a, bool inverse) {
    const std::size_t n = a.size();
    for (std::size_t i = 1, j = 0; i < n; ++i) {
        std::size_t bit = n >> 1U;
        for (; (j & bit) != 0; bit >>= 1U) {
            j ^= bit;
        }
        j ^= bit;
        if (i < j) {
            std::swap(a[i], a[j]);
        }
    }
    // Twiddles from direct trig calls (not a recurrence) keep the error at ~1e-16 per stage.
    std::vector<Complex> tw(n / 2);
    const double sign = inverse ? 1.0 : -1.0;
    for (std::size_t k = 0; k < n / 2; ++k) {
        tw[k] = std::polar(1.0, sign * 2.0 * std::numbers::pi * static_cast<double>(k) /
                                    static_cast<double>(n));
    }
    for (std::size_t len = 2; len <= n; len <<= 1U) {
        const std::size_t stride = n / len;
        for (std::size_t i = 0; i < n; i += len) {
            for (std::size_t k = 0; k < len / 2; ++k) {
                const Complex u = a[i + k];
                const Complex v = a[i + k + len / 2] * tw[k * stride];
                a[i + k] = u + v;
                a[i + k + len / 2] = u - v;
            }
        }
    }
}

std::vector<Complex> chirpZ(std::span<const double> x, double f0, double df, std::size_t count) {
    const std::size_t n = x.size();
    if (n == 0 || count == 0) {
        return {};
    }
    const std::size_t len = nextPow2(n + count - 1);
    const double halfDf = 0.5 * df;

    std::vector<Complex> a(len);
    for (std::size_t i = 0; i < n; ++i) {
        const double m = static_cast<double>(i);
        const double cycles = f0 * m;
        const Complex shift = std::polar(1.0, 2.0 * std::numbers::pi * (cycles - std::floor(cycles)));
        a[i] = x[i] * shift * chirp(halfDf, m);
    }
    std::vector<Complex> h(len);
    for (std::size_t m = 0; m < count; ++m) {
        h[m] = std::conj(chirp(halfDf, static_cast<double>(m)));
    }
    for (std::size_t m = 1; m < n; ++m) {
        h[len - m] = std::conj(chirp(halfDf, static_cast<double>(m)));
    }
    fftPow2(a, false);
    fftPow2(h, false);
    for (std::size_t i = 0; i < len; ++i) {
        a[i] *= h[i];
    }
    fftPow2(a, true);
    std::vector<Complex> out(count);
    const double scale = 1.0 / static_cast<double>(len);
    for (std::size_t k = 0; k < count; ++k) {
        out[k] = a[k] * scale * chirp(halfDf, static_cast<double>(k));
    }
    return out;
}

}  // namespace wardgate::dsp::spectral
