// Spectral building blocks for the HRV frequency domain: resampling splines, FFT, chirp-z,
// Welch and Lomb-Scargle periodograms. Pure functions over plain vectors; no exceptions for
// bad data (degenerate input gives empty results).
#pragma once

#include <complex>
#include <cstddef>
#include <span>
#include <vector>

namespace wardgate::dsp::spectral {

/// In-place radix-2 FFT (size must be a power of two), forward sign e^{-2πi nk/N}, unscaled.
void fftPow2(std::vector<std::complex<double>>& a, bool inverse);

/// Chirp-z transform of real series of length n: X_k = Σ_j x_j exp(+2πi (f0 + k·df) j) for
/// k < count, frequencies in cycles per sample, O((n + count) log(n + count)). A plan holds the
/// chirps, the transformed kernel and the FFT twiddles, so repeated transforms (Welch segments)
/// pay for them once.
class ChirpZ {
  public:
    ChirpZ(std::size_t n, double f0, double df, std::size_t count);
    /// x.size() must equal n.
    [[nodiscard]] std::vector<std::complex<double>> operator()(std::span<const double> x) const;

  private:
    std::size_t n_;
    std::size_t count_;
    std::size_t len_;
    std::vector<std::complex<double>> pre_;     // exp(2πi f0 j) · chirp(j), j < n
    std::vector<std::complex<double>> post_;    // chirp(k) / len, k < count
    std::vector<std::complex<double>> kernel_;  // FFT of conj(chirp(m)), m in (-n, count)
    std::vector<std::complex<double>> twiddles_;
};

/// Evenly resampled series on grid = x0, x0 + step, ... (numpy.arange(x0, x_end + step, step)).
/// Outside [x.front(), x.back()] the first/last y is held; duplicate x are averaged.
/// quadratic: scipy interp1d(kind="quadratic") (make_interp_spline k=2, Greville-style knots).
/// cubic: natural cubic spline.
enum class SplineKind { Quadratic, NaturalCubic };
[[nodiscard]] std::vector<double> resample(std::span<const double> x, std::span<const double> y,
                                           double rateHz, SplineKind kind);

/// One-sided PSD (frequency in Hz, power in units²/Hz).
struct Psd {
    std::vector<double> frequency;
    std::vector<double> power;
};

/// scipy.signal.welch(x, fs, window="hann", nperseg, noverlap=nperseg/2, nfft,
/// detrend=False, scaling="density", average="mean"), returning only bins with f <= maxHz.
[[nodiscard]] Psd welch(std::span<const double> x, double fs, std::size_t nperseg, std::size_t nfft,
                        double maxHz);

/// Lomb-Scargle with a floating mean on evenly spaced samples t_n = n/fs, astropy's
/// normalization="psd" (0.5·N·(YC²/CC + YS²/SS)), exact (astropy's default "fast" method
/// approximates the same quantity), at frequencies f0 + k·df, k < count.
[[nodiscard]] Psd lombEven(std::span<const double> y, double fs, double f0, double df,
                           std::size_t count);

/// What astropy 5.2 `LombScargle(t, y, normalization="psd").autopower(...)` returns for
/// t_n = n/fs: the exact periodogram for up to 200 frequencies, otherwise its "fast" method
/// (Press & Rybicki 1989: Lagrange extirpolation, M = 4, oversampling 5, power-of-two FFT),
/// reproduced with its approximation error so that the reference profile matches it.
[[nodiscard]] Psd lombAstropy(std::span<const double> y, double fs, double f0, double df,
                              std::size_t count);

/// The same periodogram on uneven sample times (direct sums, O(N·count)).
[[nodiscard]] Psd lombUneven(std::span<const double> t, std::span<const double> y, double f0,
                             double df, std::size_t count);

/// np.trapz over the bins with lo <= f < hi.
[[nodiscard]] double bandPower(const Psd& psd, double lo, double hi) noexcept;

}  // namespace wardgate::dsp::spectral
