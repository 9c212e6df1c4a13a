#include <algorithm>
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

// Plain complex product: std::complex's operator* handles inf/NaN per C Annex G through a
// library call (__muldc3) that dominated the run time; our values are always finite.
Complex mul(Complex a, Complex b) {
    return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

// Twiddles exp(-2πi k/n), k < n/2, from direct trig calls (no recurrence: ~1e-16 per stage).
std::vector<Complex> twiddles(std::size_t n) {
    std::vector<Complex> tw(n / 2);
    for (std::size_t k = 0; k < n / 2; ++k) {
        tw[k] = std::polar(
            1.0, -2.0 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(n));
    }
    return tw;
}

void fftWith(std::vector<Complex>& a, bool inverse, const std::vector<Complex>& tw) {
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
    for (std::size_t len = 2; len <= n; len <<= 1U) {
        const std::size_t stride = n / len;
        for (std::size_t i = 0; i < n; i += len) {
            for (std::size_t k = 0; k < len / 2; ++k) {
                const Complex w = inverse ? std::conj(tw[k * stride]) : tw[k * stride];
                const Complex u = a[i + k];
                const Complex v = mul(a[i + k + len / 2], w);
                a[i + k] = u + v;
                a[i + k + len / 2] = u - v;
            }
        }
    }
}

}  // namespace

void fftPow2(std::vector<Complex>& a, bool inverse) {
    fftWith(a, inverse, twiddles(a.size()));
}

ChirpZ::ChirpZ(std::size_t n, double f0, double df, std::size_t count)
    : n_(n), count_(count), len_(nextPow2(n + std::max<std::size_t>(count, 1) - 1)) {
    const double halfDf = 0.5 * df;
    twiddles_ = twiddles(len_);
    pre_.resize(n);
    for (std::size_t j = 0; j < n; ++j) {
        const double cycles = f0 * static_cast<double>(j);
        pre_[j] = mul(std::polar(1.0, 2.0 * std::numbers::pi * (cycles - std::floor(cycles))),
                      chirp(halfDf, static_cast<double>(j)));
    }
    kernel_.assign(len_, Complex{});
    for (std::size_t m = 0; m < count; ++m) {
        kernel_[m] = std::conj(chirp(halfDf, static_cast<double>(m)));
    }
    for (std::size_t m = 1; m < n; ++m) {
        kernel_[len_ - m] = std::conj(chirp(halfDf, static_cast<double>(m)));
    }
    fftWith(kernel_, false, twiddles_);
    post_.resize(count);
    for (std::size_t k = 0; k < count; ++k) {
        post_[k] = chirp(halfDf, static_cast<double>(k)) / static_cast<double>(len_);
    }
}

std::vector<Complex> ChirpZ::operator()(std::span<const double> x) const {
    if (x.size() != n_ || n_ == 0 || count_ == 0) {
        return {};
    }
    std::vector<Complex> a(len_);
    for (std::size_t j = 0; j < n_; ++j) {
        a[j] = x[j] * pre_[j];  // real × complex: no library call
    }
    fftWith(a, false, twiddles_);
    for (std::size_t i = 0; i < len_; ++i) {
        a[i] = mul(a[i], kernel_[i]);
    }
    fftWith(a, true, twiddles_);
    std::vector<Complex> out(count_);
    for (std::size_t k = 0; k < count_; ++k) {
        out[k] = mul(a[k], post_[k]);
    }
    return out;
}

}  // namespace wardgate::dsp::spectral
