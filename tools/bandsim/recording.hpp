#pragma once
// Recordings a simulated band replays, and the --band specification that names
// them. Loading validates everything up front so the simulator never meets a
// bad row while it is serving: every problem is an InputError naming the file
// and line (or the --band text), and the caller exits with code 2.

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wardgate::bandsim {

class InputError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// One RR interval: the beat that ends it at tS (recording seconds), its length in ms.
struct RrSample {
    double tS = 0.0;
    double rrMs = 0.0;
};

// Skin conductance sampled at a uniform rate.
struct EdaRecording {
    std::vector<double> tS;
    std::vector<double> microsiemens;
    double rateHz = 0.0;
};

// `t_s,rr_ms` CSV with a header line; t_s non-decreasing, rr_ms > 0.
[[nodiscard]] std::vector<RrSample> loadRrCsv(const std::filesystem::path& file);

// `t_s,eda_us` CSV with a header line, at least two rows, t_s increasing; the
// rate is (rows - 1) / (last t_s - first t_s).
[[nodiscard]] EdaRecording loadEdaCsv(const std::filesystem::path& file);

// One --band option: "address=AA:BB:CC:00:00:01,name=WG-Band 01,rr=PATH,eda=PATH".
// Keys: address (required, six hex pairs, stored upper-case), name (default
// "WG-Band <last byte>"), rr, eda, addresstype ("random", the default, or
// "public"), paired ("yes"/"no": "yes" puts the band on the bus at start-up as
// an already bonded device, like BlueZ loading its stored bonds).
struct BandSpec {
    std::string address;
    std::string name;
    std::string addressType = "random";
    bool paired = false;
    std::optional<std::filesystem::path> rrPath;
    std::optional<std::filesystem::path> edaPath;
};

[[nodiscard]] BandSpec parseBandSpec(std::string_view text);

[[nodiscard]] bool isValidAddress(std::string_view address) noexcept;

}  // namespace wardgate::bandsim
