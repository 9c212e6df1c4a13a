// The gateway's time base for sample streams.
//
// Arrivals are measured on the monotonic clock (immune to wall-clock steps)
// and expressed as "stream seconds" since the daemon started, multiplied by
// a time scale. The scale is 1 on a ward; the demo and the tests replay
// recordings faster than real time and raise it by the same factor, so that
// a recording replayed at 60x still looks like real time to the pipeline.
// Wall-clock times for storage are derived from one wall reading taken at
// start, so they stay monotonic too.
#pragma once

#include <chrono>
#include <cstdint>

namespace wardgate::daemon {

class StreamClock {
  public:
    explicit StreamClock(double scale = 1.0)
        : origin_(std::chrono::steady_clock::now())
        , wallOriginMs_(std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count())
        , scale_(scale) {}

    [[nodiscard]] double toStreamS(std::chrono::steady_clock::time_point t) const noexcept {
        return std::chrono::duration<double>(t - origin_).count() * scale_;
    }
    [[nodiscard]] double nowS() const noexcept {
        return toStreamS(std::chrono::steady_clock::now());
    }
    [[nodiscard]] std::int64_t toWallMs(double streamS) const noexcept {
        return wallOriginMs_ + static_cast<std::int64_t>(streamS * 1000.0);
    }
    [[nodiscard]] double scale() const noexcept { return scale_; }

  private:
    std::chrono::steady_clock::time_point origin_;
    std::int64_t wallOriginMs_;
    double scale_;
};

}  // namespace wardgate::daemon
