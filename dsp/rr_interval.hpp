// One RR interval as the DSP sees it.
#pragma once

namespace wardgate::dsp {

/// An RR (beat-to-beat) interval.
/// - endS: stream time in seconds of the beat that ends the interval; non-decreasing in a stream.
/// - rrMs: the interval length in milliseconds.
/// - successive: false when beats were dropped just before this interval (a gap), so the
///   difference to the previous interval must never be used. Ignored for the first interval.
struct RrInterval {
    double endS;
    double rrMs;
    bool successive;
};

}  // namespace wardgate::dsp
