// One enrolled band's path from decoded notifications to feature records.
//
// Dates RR intervals (RrTimeline) and EDA samples on the stream clock, feeds
// them to the DSP windowers and hands every closed window, serialised, to a
// sink (the vault in the daemon, a vector in tests). Signals the worker did
// not consent to are dropped here before any processing.
//
// Runs on the daemon's event-loop thread; never throws for bad data.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ble/decoders/heart_rate_measurement.hpp"
#include "ble/decoders/sensor_batch.hpp"
#include "daemon/rr_timeline.hpp"
#include "daemon/stream_clock.hpp"
#include "dsp/eda_window.hpp"
#include "dsp/hrv_window.hpp"

namespace wardgate::daemon {

enum class RecordKind : std::uint8_t { Hrv, Eda };

struct PipelineConfig {
    dsp::WindowSpec hrvWindow;
    dsp::WindowSpec edaWindow;
    // How far (real seconds) the RR sum may lag the arrival clock before the
    // stream counts as interrupted; multiplied by the clock's scale.
    double rrGapToleranceS = 1.5;
    bool hrvConsented = true;
    bool edaConsented = false;
};

struct PipelineCounters {
    std::uint64_t notifications = 0;
    std::uint64_t intervals = 0;
    std::uint64_t edaSamples = 0;
    std::uint64_t windows = 0;
    std::uint64_t droppedUnconsented = 0;
};

class BandPipeline {
  public:
    using RecordSink = std::function<void(RecordKind, std::int64_t wallStartMs,
                                          std::int64_t wallEndMs, const std::string& json)>;

    BandPipeline(const PipelineConfig& config, const StreamClock& clock, RecordSink sink);

    void onHeartRate(const ble::HeartRateMeasurement& m,
                     std::chrono::steady_clock::time_point arrival);
    void onSensorBatch(const ble::SensorBatch& batch,
                       std::chrono::steady_clock::time_point arrival);
    // The link dropped: streams restart as new segments on reconnection.
    void onLinkLost();
    // Closes the windows still open (shutdown, withdrawal of consent).
    void flush();

    [[nodiscard]] const PipelineCounters& counters() const noexcept { return counters_; }
    [[nodiscard]] std::optional<double> lastDataStreamS() const noexcept { return lastDataS_; }

  private:
    // Serialises closed windows of one kind and hands them to the sink.
    template <class Window>
    void emit(RecordKind kind, const std::vector<Window>& windows);

    PipelineConfig config_;
    const StreamClock& clock_;
    RecordSink sink_;
    RrTimeline timeline_;
    dsp::RrWindower rrWindower_;
    std::optional<dsp::EdaWindower> edaWindower_;
    double edaRateHz_ = 0.0;
    std::optional<double> edaNextS_;
    std::optional<std::uint16_t> edaNextSequence_;
    std::optional<double> lastDataS_;
    PipelineCounters counters_;
    std::vector<dsp::RrInterval> rrScratch_;
    std::vector<double> rrMsScratch_;
};

}  // namespace wardgate::daemon
