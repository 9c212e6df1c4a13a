// Resampling splines for the frequency domain.
#include <algorithm>
#include <array>
#include <cmath>

#include <Eigen/Sparse>
#include <Eigen/SparseLU>

#include "dsp/spectral.hpp"

namespace wardgate::dsp::spectral {
namespace {

struct Points {
    std::vector<double> x;
    std::vector<double> y;
};

// Averages the y of equal x (NeuroKit2 does so before interpolating).
Points uniqueX(std::span<const double> x, std::span<const double> y) {
    Points p;
    for (std::size_t i = 0; i < x.size();) {
        std::size_t j = i;
        double sum = 0.0;
        while (j < x.size() && x[j] == x[i]) {
            sum += y[j];
            ++j;
        }
        p.x.push_back(x[i]);
        p.y.push_back(sum / static_cast<double>(j - i));
        i = j;
    }
    return p;
}

// numpy.arange(x0, xEnd + step, step): numpy fills start + i·((start + step) - start).
std::vector<double> grid(double x0, double xEnd, double rateHz) {
    const double step = 1.0 / rateHz;
    const double stop = xEnd + step;
    const auto n = static_cast<std::size_t>(std::ceil((stop - x0) / step));
    const double delta = (x0 + step) - x0;
    std::vector<double> g(n);
    for (std::size_t i = 0; i < n; ++i) {
        g[i] = i == 0 ? x0 : x0 + static_cast<double>(i) * delta;
    }
    return g;
}

// Degree-2 B-spline basis values at x for knot span l (The NURBS Book, A2.2).
std::array<double, 3> basis2(const std::vector<double>& u, std::size_t l, double x) {
    std::array<double, 3> n{1.0, 0.0, 0.0};
    std::array<double, 3> left{};
    std::array<double, 3> right{};
    for (std::size_t j = 1; j <= 2; ++j) {
        left[j] = x - u[l + 1 - j];
        right[j] = u[l + j] - x;
        double saved = 0.0;
        for (std::size_t r = 0; r < j; ++r) {
            const double temp = n[r] / (right[r + 1] + left[j - r]);
            n[r] = saved + right[r + 1] * temp;
            saved = left[j - r] * temp;
        }
        n[j] = saved;
    }
    return n;
}

std::size_t span(const std::vector<double>& u, std::size_t nCoef, double x) {
    const auto it = std::upper_bound(u.begin() + 2, u.begin() + static_cast<long>(nCoef) + 1, x);
    const auto l = static_cast<std::size_t>(it - u.begin()) - 1;
    return std::min(l, nCoef - 1);
}

std::vector<double> quadratic(const Points& p, const std::vector<double>& g) {
    const std::size_t n = p.x.size();
    std::vector<double> u(3, p.x.front());
    for (std::size_t i = 1; i + 2 < n; ++i) {
        u.push_back((p.x[i] + p.x[i + 1]) / 2.0);
    }
    u.insert(u.end(), 3, p.x.back());

    Eigen::SparseMatrix<double> a(static_cast<long>(n), static_cast<long>(n));
    std::vector<Eigen::Triplet<double>> entries;
    for (std::size_t j = 0; j < n; ++j) {
        const std::size_t l = span(u, n, p.x[j]);
        const auto b = basis2(u, l, p.x[j]);
        for (std::size_t r = 0; r < 3; ++r) {
            entries.emplace_back(static_cast<long>(j), static_cast<long>(l - 2 + r), b[r]);
        }
    }
    a.setFromTriplets(entries.begin(), entries.end());
    Eigen::SparseLU<Eigen::SparseMatrix<double>> lu;
    lu.compute(a);
    if (lu.info() != Eigen::Success) {
        return {};
    }
    const Eigen::Map<const Eigen::VectorXd> rhs(p.y.data(), static_cast<long>(n));
    const Eigen::VectorXd c = lu.solve(rhs);

    std::vector<double> out(g.size());
    for (std::size_t i = 0; i < g.size(); ++i) {
        if (g[i] > p.x.back()) {
            out[i] = p.y.back();
            continue;
        }
        const std::size_t l = span(u, n, g[i]);
        const auto b = basis2(u, l, g[i]);
        out[i] = b[0] * c[static_cast<long>(l - 2)] + b[1] * c[static_cast<long>(l - 1)] +
                 b[2] * c[static_cast<long>(l)];
    }
    return out;
}

// Natural cubic spline: second derivatives from the tridiagonal system (Thomas algorithm).
std::vector<double> naturalCubic(const Points& p, const std::vector<double>& g) {
    const std::size_t n = p.x.size();
    std::vector<double> m(n, 0.0);
    std::vector<double> cp(n, 0.0);
    std::vector<double> dp(n, 0.0);
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double h0 = p.x[i] - p.x[i - 1];
        const double h1 = p.x[i + 1] - p.x[i];
        const double rhs = 6.0 * ((p.y[i + 1] - p.y[i]) / h1 - (p.y[i] - p.y[i - 1]) / h0);
        const double diag = 2.0 * (h0 + h1) - h0 * cp[i - 1];
        cp[i] = h1 / diag;
        dp[i] = (rhs - h0 * dp[i - 1]) / diag;
    }
    for (std::size_t i = n - 2; i >= 1; --i) {
        m[i] = dp[i] - cp[i] * m[i + 1];
    }
    std::vector<double> out(g.size());
    std::size_t k = 0;
    for (std::size_t i = 0; i < g.size(); ++i) {
        if (g[i] > p.x.back()) {
            out[i] = p.y.back();
            continue;
        }
        while (k + 2 < n && g[i] > p.x[k + 1]) {
            ++k;
        }
        const double h = p.x[k + 1] - p.x[k];
        const double a = (p.x[k + 1] - g[i]) / h;
        const double b = (g[i] - p.x[k]) / h;
        out[i] = a * p.y[k] + b * p.y[k + 1] +
                 ((a * a * a - a) * m[k] + (b * b * b - b) * m[k + 1]) * h * h / 6.0;
    }
    return out;
}

}  // namespace

std::vector<double> resample(std::span<const double> x, std::span<const double> y, double rateHz,
                             SplineKind kind) {
    if (x.empty() || x.size() != y.size()) {
        return {};
    }
    const auto p = uniqueX(x, y);
    const auto g = grid(p.x.front(), p.x.back(), rateHz);
    if (p.x.size() < 3) {
        return {};  // no spline through fewer than three points; the caller reports why
    }
    return kind == SplineKind::Quadratic ? quadratic(p, g) : naturalCubic(p, g);
}

}  // namespace wardgate::dsp::spectral
