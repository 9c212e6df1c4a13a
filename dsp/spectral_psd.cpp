// Welch and Lomb-Scargle periodograms and band integration.
#include <cmath>
#include <numbers>

#include "dsp/spectral.hpp"

namespace wardgate::dsp::spectral {
namespace {

using Complex = std::complex<double>;

// Count of frequencies f = k·(1/(nfft·(1/fs))) <= maxHz (scipy's rfftfreq spacing).
std::size_t binsUpTo(std::size_t nfft, double fs, double maxHz, double& spacing) {
    spacing = 1.0 / (static_cast<double>(nfft) * (1.0 / fs));
    std::size_t count = nfft / 2 + 1;
    std::size_t k = 0;
    while (k < count && static_cast<double>(k) * spacing <= maxHz) {
        ++k;
    }
    return k;
}

struct Sums {
    Complex z0;  // Σ e^{iωt}
    Complex z2;  // Σ e^{2iωt}
    Complex zy;  // Σ y e^{iωt}
};

// Power at one frequency from the three sums (astropy's slow implementation, fit_mean=True,
// center_data=True, unit weights, normalization="psd").
double lombPower(const Sums& s, double n) {
    const double c = s.z0.real() / n;
    const double sn = s.z0.imag() / n;
    double c2 = s.z2.real() / n;
    double s2 = s.z2.imag() / n;
    s2 -= 2.0 * sn * c;
    c2 -= c * c - sn * sn;
    const double phi = 0.5 * std::atan2(s2, c2);
    const Complex rot = std::polar(1.0, -phi);
    const Complex rot2 = std::polar(1.0, -2.0 * phi);
    const Complex y = s.zy * rot / n;
    const Complex one = s.z0 * rot / n;
    const double twice = (s.z2 * rot2).real() / n;
    const double cc = 0.5 + 0.5 * twice - one.real() * one.real();
    const double ss = 0.5 - 0.5 * twice - one.imag() * one.imag();
    // The centred y has mean 0, so the floating-mean corrections of YC and YS vanish.
    return 0.5 * n * (y.real() * y.real() / cc + y.imag() * y.imag() / ss);
}

std::vector<double> centred(std::span<const double> y) {
    double sum = 0.0;
    for (double v : y) {
        sum += v;
    }
    const double mean = sum / static_cast<double>(y.size());
    std::vector<double> out(y.begin(), y.end());
    for (auto& v : out) {
        v -= mean;
    }
    return out;
}

// Σ_{n<N} z^n for |z| = 1, z = e^{iθ}.
Complex geometric(double theta, std::size_t count) {
    const double cycles = theta / (2.0 * std::numbers::pi);
    if (std::abs(cycles - std::nearbyint(cycles)) < 1e-15) {
        return {static_cast<double>(count), 0.0};
    }
    const Complex z = std::polar(1.0, theta);
    const double ncycles = cycles * static_cast<double>(count);
    const Complex zn = std::polar(1.0, 2.0 * std::numbers::pi * (ncycles - std::floor(ncycles)));
    return (1.0 - zn) / (1.0 - z);
}

}  // namespace

Psd welch(std::span<const double> x, double fs, std::size_t nperseg, std::size_t nfft,
          double maxHz) {
    Psd psd;
    if (nperseg < 2 || x.size() < nperseg || nfft < nperseg) {
        return psd;
    }
    const std::size_t noverlap = nperseg / 2;
    const std::size_t step = nperseg - noverlap;
    const std::size_t nSeg = (x.size() - noverlap) / step;
    double spacing = 0.0;
    const std::size_t nBins = binsUpTo(nfft, fs, maxHz, spacing);

    std::vector<double> win(nperseg);
    double winSq = 0.0;
    for (std::size_t i = 0; i < nperseg; ++i) {
        // periodic Hann, as scipy.signal.get_window("hann", nperseg)
        win[i] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) /
                                      static_cast<double>(nperseg));
        winSq += win[i] * win[i];
    }
    const double scale = 1.0 / (fs * winSq);

    psd.frequency.resize(nBins);
    psd.power.assign(nBins, 0.0);
    std::vector<double> seg(nperseg);
    const ChirpZ dft(nperseg, 0.0, 1.0 / static_cast<double>(nfft), nBins);
    for (std::size_t s = 0; s < nSeg; ++s) {
        for (std::size_t i = 0; i < nperseg; ++i) {
            seg[i] = x[s * step + i] * win[i];
        }
        const auto spec = dft(seg);
        for (std::size_t k = 0; k < nBins; ++k) {
            psd.power[k] += std::norm(spec[k]) * scale;
        }
    }
    const bool evenNfft = nfft % 2 == 0;
    for (std::size_t k = 0; k < nBins; ++k) {
        psd.frequency[k] = static_cast<double>(k) * spacing;
        psd.power[k] /= static_cast<double>(nSeg);
        const bool edge = k == 0 || (evenNfft && k == nfft / 2);
        if (!edge) {
            psd.power[k] *= 2.0;
        }
    }
    return psd;
}

Psd lombEven(std::span<const double> y, double fs, double f0, double df, std::size_t count) {
    Psd psd;
    if (y.size() < 3 || count == 0) {
        return psd;
    }
    const auto yc = centred(y);
    const auto n = static_cast<double>(y.size());
    // Frequencies in cycles per sample for the chirp-z: f/fs.
    const auto zy = ChirpZ(yc.size(), f0 / fs, df / fs, count)(yc);
    psd.frequency.resize(count);
    psd.power.resize(count);
    for (std::size_t k = 0; k < count; ++k) {
        const double f = f0 + df * static_cast<double>(k);
        const double theta = 2.0 * std::numbers::pi * f / fs;
        const Sums s{geometric(theta, y.size()), geometric(2.0 * theta, y.size()), zy[k]};
        psd.frequency[k] = f;
        psd.power[k] = lombPower(s, n);
    }
    return psd;
}

Psd lombUneven(std::span<const double> t, std::span<const double> y, double f0, double df,
               std::size_t count) {
    Psd psd;
    if (y.size() < 3 || t.size() != y.size()) {
        return psd;
    }
    const auto yc = centred(y);
    const auto n = static_cast<double>(y.size());
    // Sample-major: e^{2πi(f0 + k·df)t} = e^{2πi·f0·t} · (e^{2πi·df·t})^k, one sincos pair per
    // sample instead of one per sample and frequency; the recurrence runs over `count` steps
    // only, so its rounding stays ~count·1e-16.
    std::vector<Sums> sums(count);
    const auto phasor = [](double cycles) {
        return std::polar(1.0, 2.0 * std::numbers::pi * (cycles - std::floor(cycles)));
    };
    for (std::size_t i = 0; i < t.size(); ++i) {
        Complex e = phasor(f0 * t[i]);
        const Complex step = phasor(df * t[i]);
        for (std::size_t k = 0; k < count; ++k) {
            sums[k].z0 += e;
            sums[k].z2 +=
                Complex{e.real() * e.real() - e.imag() * e.imag(), 2.0 * e.real() * e.imag()};
            sums[k].zy += yc[i] * e;
            e = Complex{e.real() * step.real() - e.imag() * step.imag(),
                        e.real() * step.imag() + e.imag() * step.real()};
        }
    }
    psd.frequency.resize(count);
    psd.power.resize(count);
    for (std::size_t k = 0; k < count; ++k) {
        psd.frequency[k] = f0 + df * static_cast<double>(k);
        psd.power[k] = lombPower(sums[k], n);
    }
    return psd;
}

double bandPower(const Psd& psd, double lo, double hi) noexcept {
    double sum = 0.0;
    bool havePrev = false;
    double prevF = 0.0;
    double prevP = 0.0;
    for (std::size_t k = 0; k < psd.frequency.size(); ++k) {
        const double f = psd.frequency[k];
        if (f < lo || f >= hi) {
            continue;
        }
        if (havePrev) {
            sum += (f - prevF) * (psd.power[k] + prevP) / 2.0;
        }
        havePrev = true;
        prevF = f;
        prevP = psd.power[k];
    }
    return sum;
}

}  // namespace wardgate::dsp::spectral
