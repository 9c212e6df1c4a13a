// Reference computation for the end-to-end test: the first-cut time-domain
// features of each window, recomputed from the exact RR intervals the band
// simulator delivered (its sent log), independently of dsp/.
#pragma once

#include <cmath>
#include <cstddef>
#include <optional>
#include <vector>

namespace wardgate::test {

struct ExpectedWindow {
    std::size_t n = 0;
    double meanNN = 0;
    std::optional<double> sdnn;
    std::optional<double> rmssd;
    std::optional<double> pnn50;
};

// Intervals `rrMs` (a gap-free stream) in the window (startS, startS + lengthS]
// on the stream's own timeline, which starts at the start of the first
// interval; the beat that ends interval i is at the sum of intervals 0..i.
inline ExpectedWindow expectedWindow(const std::vector<double>& rrMs, double startS,
                                     double lengthS) {
    std::vector<double> in;
    double t = 0.0;
    for (const double rr : rrMs) {
        t += rr / 1000.0;
        if (t > startS && t <= startS + lengthS) {
            in.push_back(rr);
        }
    }
    ExpectedWindow w;
    w.n = in.size();
    if (in.empty()) {
        return w;
    }
    double sum = 0.0;
    for (const double rr : in) {
        sum += rr;
    }
    w.meanNN = sum / static_cast<double>(in.size());
    if (in.size() >= 2) {
        double ss = 0.0;
        for (const double rr : in) {
            ss += (rr - w.meanNN) * (rr - w.meanNN);
        }
        w.sdnn = std::sqrt(ss / static_cast<double>(in.size() - 1));
        double sq = 0.0;
        std::size_t over50 = 0;
        for (std::size_t i = 1; i < in.size(); ++i) {
            const double d = in[i] - in[i - 1];
            sq += d * d;
            over50 += std::fabs(d) > 50.0 ? 1 : 0;
        }
        const auto nd = static_cast<double>(in.size() - 1);
        w.rmssd = std::sqrt(sq / nd);
        w.pnn50 = 100.0 * static_cast<double>(over50) / nd;
    }
    return w;
}

}  // namespace wardgate::test
