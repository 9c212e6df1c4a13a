// wardgate-bandsim: a fake bluetoothd (org.bluez) on the bus named by
// DBUS_SYSTEM_BUS_ADDRESS, serving simulated bands that replay recordings.
// Exit codes: 0 after --duration-s or SIGINT/SIGTERM, 2 for bad arguments or
// input files, 1 when the bus cannot be served.

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <sdbus-c++/sdbus-c++.h>

#include "tools/bandsim/event_loop.hpp"
#include "tools/bandsim/fake_adapter.hpp"
#include "tools/bandsim/fake_band.hpp"
#include "tools/bandsim/recording.hpp"
#include "tools/bandsim/replay.hpp"
#include "tools/bandsim/sent_log.hpp"

namespace {

using namespace wardgate::bandsim;

struct Options {
    std::vector<std::string> bands;
    double speed = 1.0;
    double rrOffsetS = 0.0;
    std::string sentLog;
    double durationS = 0.0;
};

constexpr int kExitBadArguments = 2;
constexpr int kExitBusFailure = 1;
// Every third band sends its heart rate as uint16, so clients meet both formats.
constexpr std::size_t kUint16HrEvery = 3;
constexpr std::int16_t kFirstBandRssi = -52;
constexpr std::int16_t kRssiStep = -4;

void addOptions(CLI::App& app, Options& o) {
    app.add_option("--band", o.bands,
                   "A band: \"address=AA:BB:CC:00:00:01,name=WG-Band 01,rr=PATH,eda=PATH\" "
                   "(optional keys: addresstype=random|public, paired=yes|no); repeatable")
        ->required();
    app.add_option("--speed", o.speed, "Recording seconds per wall-clock second (default 1)")
        ->check(CLI::PositiveNumber);
    app.add_option("--rr-offset-s", o.rrOffsetS,
                   "Start every recording this many seconds in (default 0)")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--sent-log", o.sentLog,
                   "Append 'address,seq,rr_raw' for every RR interval delivered to a subscriber");
    app.add_option("--duration-s", o.durationS,
                   "Exit after this many wall-clock seconds (0: run until SIGINT/SIGTERM)")
        ->check(CLI::NonNegativeNumber);
}

struct LoadedBand {
    BandSettings settings;
    Replay replay;
};

// Parses and loads every band up front so a bad file fails before the bus is touched.
std::vector<LoadedBand> loadBands(const Options& o) {
    std::vector<LoadedBand> bands;
    std::set<std::string> addresses;
    for (const std::string& text : o.bands) {
        BandSettings s;
        s.spec = parseBandSpec(text);
        if (!addresses.insert(s.spec.address).second) {
            throw InputError(fmt::format("--band '{}': address used twice", text));
        }
        const std::size_t index = bands.size();
        s.hrUint16 = index % kUint16HrEvery == kUint16HrEvery - 1;
        s.rssi = static_cast<std::int16_t>(kFirstBandRssi + kRssiStep * static_cast<int>(index));
        s.recordingSecond = std::chrono::duration<double>(1.0 / o.speed);

        std::vector<RrSample> rr;
        if (s.spec.rrPath) {
            rr = loadRrCsv(*s.spec.rrPath);
        }
        std::optional<EdaRecording> eda;
        if (s.spec.edaPath) {
            eda = loadEdaCsv(*s.spec.edaPath);
        }
        Replay replay(std::move(rr), std::move(eda), o.rrOffsetS);
        bands.push_back(LoadedBand{std::move(s), std::move(replay)});
    }
    return bands;
}

std::string busAddress() {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before any thread exists
    const char* address = std::getenv("DBUS_SYSTEM_BUS_ADDRESS");
    return address != nullptr ? address : "unix:path=/run/dbus/system_bus_socket";
}

void serve(const Options& o, std::vector<LoadedBand> loaded, SentLog* sentLog) {
    auto bus = sdbus::createSystemBusConnection();
    EventLoop loop(*bus);

    const std::size_t count = loaded.size();
    std::vector<std::unique_ptr<FakeBand>> bands;
    for (LoadedBand& band : loaded) {
        band.settings.sentLog = sentLog;
        bands.push_back(
            std::make_unique<FakeBand>(*bus, std::move(band.settings), std::move(band.replay)));
    }
    FakeAdapter adapter(*bus, std::move(bands));

    // The name is taken last, so a client that sees org.bluez finds every object.
    bus->requestName(bluez::kBusName);
    fmt::print(stderr, "bandsim: serving {} band(s) on {}\n", count, busAddress());
    std::fflush(stderr);

    std::optional<bluez::Clock::time_point> until;
    if (o.durationS > 0.0) {
        until = bluez::Clock::now() + std::chrono::duration_cast<bluez::Clock::duration>(
                                          std::chrono::duration<double>(o.durationS));
    }
    loop.run([&adapter](bluez::Clock::time_point now) { return adapter.runDue(now); }, until);
}

int run(int argc, char** argv) {
    CLI::App app{
        "wardgate-bandsim: a fake BlueZ (org.bluez) serving simulated bands that replay "
        "RR and EDA recordings, on the bus named by DBUS_SYSTEM_BUS_ADDRESS"};
    Options options;
    addOptions(app, options);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "bandsim: {}\n", e.what());
        return kExitBadArguments;
    }

    std::vector<LoadedBand> bands;
    std::unique_ptr<SentLog> sentLog;
    try {
        bands = loadBands(options);
        if (!options.sentLog.empty()) {
            sentLog = std::make_unique<SentLog>(options.sentLog);
        }
    } catch (const InputError& e) {
        fmt::print(stderr, "bandsim: {}\n", e.what());
        return kExitBadArguments;
    } catch (const std::system_error& e) {
        fmt::print(stderr, "bandsim: --sent-log: {}\n", e.what());
        return kExitBadArguments;
    }

    try {
        serve(options, std::move(bands), sentLog.get());
    } catch (const sdbus::Error& e) {
        fmt::print(stderr, "bandsim: D-Bus: {}: {}\n", e.getName(), e.getMessage());
        return kExitBusFailure;
    } catch (const std::exception& e) {
        fmt::print(stderr, "bandsim: {}\n", e.what());
        return kExitBusFailure;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fputs("bandsim: ", stderr);
        std::fputs(e.what(), stderr);
        std::fputs("\n", stderr);
    } catch (...) {
        std::fputs("bandsim: unknown error\n", stderr);
    }
    return kExitBusFailure;
}
