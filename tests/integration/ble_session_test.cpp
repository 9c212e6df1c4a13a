// BluezSession against the band simulator (a fake org.bluez) on a private
// system bus: the real sdbus-c++ and Asio code paths, signal ordering,
// pairing through our agent, reconnection and removal (BLE.md §3.2). Every
// wait is bounded, so a broken session fails the test instead of hanging CI.

#include "child_process.hpp"
#include "private_bus.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "ble/band_address.hpp"
#include "ble/bluez_session.hpp"

namespace {

using namespace std::chrono_literals;
using wardgate::ble::BandAddress;
using wardgate::ble::BluezEvents;
using wardgate::ble::BluezSession;
using wardgate::ble::LinkState;
using wardgate::test::ChildProcess;
using wardgate::test::PrivateBus;
using wardgate::test::ScopedEnv;

const std::string kSimulator = WARDGATE_BINARY_DIR "/tools/bandsim/wardgate-bandsim";
// A 24-hour recording, so the simulator cannot run out at --speed 60.
const std::string kRrRecording = WARDGATE_TEST_DATA_DIR "/rr/nsr2db_nsr001.csv";
constexpr auto kStartTimeout = 15s;
constexpr auto kStepTimeout = 20s;
// Back-off after a drop is at most ~1.25 s, then ~2.5 s, ~5 s while the
// simulator restarts; this leaves room for several attempts.
constexpr auto kReconnectTimeout = 40s;

BandAddress address(const char* text) {
    auto parsed = BandAddress::parse(text);
    if (!parsed) {
        throw std::invalid_argument(text);
    }
    return *parsed;
}

const BandAddress kBand1 = address("AA:BB:CC:00:00:01");
const BandAddress kBand2 = address("AA:BB:CC:00:00:02");

// Runs the io_context until `done` holds or `timeout` passes.
bool runUntil(boost::asio::io_context& io, const std::function<bool()>& done,
              std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        io.restart();
        io.run_for(20ms);
    }
    return true;
}

// What the session reported, per band.
struct Recorder {
    std::map<BandAddress, std::vector<std::uint16_t>> rrRaw;
    std::map<BandAddress, int> notifications;
    std::map<BandAddress, std::uint8_t> battery;
    std::map<BandAddress, std::vector<LinkState>> states;
    int malformed = 0;

    BluezEvents events() {
        BluezEvents e;
        e.heartRate = [this](const BandAddress& a, const wardgate::ble::HeartRateMeasurement& m,
                             std::chrono::steady_clock::time_point) {
            ++notifications[a];
            auto& rr = rrRaw[a];
            rr.insert(rr.end(), m.rrRaw.begin(), m.rrRaw.end());
        };
        e.battery = [this](const BandAddress& a, std::uint8_t percent) { battery[a] = percent; };
        e.linkState = [this](const BandAddress& a, LinkState s) { states[a].push_back(s); };
        e.malformed = [this](const BandAddress&, wardgate::ble::DecodeError) { ++malformed; };
        return e;
    }

    [[nodiscard]] bool reached(const BandAddress& a, LinkState s) const {
        auto it = states.find(a);
        return it != states.end() && !it->second.empty() && it->second.back() == s;
    }
};

// A private bus with the simulator serving two bands on it, and this process
// pointed at that bus.
class SimulatedWard {
  public:
    SimulatedWard()
        : env_("DBUS_SYSTEM_BUS_ADDRESS", bus_.address())
        , dir_(std::filesystem::temp_directory_path() /
               ("wardgate-ble-test-" + std::to_string(::getpid()))) {
        std::filesystem::create_directories(dir_);
        startSimulator();
    }

    ~SimulatedWard() {
        simulator_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    SimulatedWard(const SimulatedWard&) = delete;
    SimulatedWard& operator=(const SimulatedWard&) = delete;

    void startSimulator() {
        ++runs_;
        const std::string sentLog = sentLogPath();
        simulator_ = std::make_unique<ChildProcess>(
            kSimulator,
            std::vector<std::string>{
                "--band", "address=" + kBand1.str() + ",name=WG-Band 01,rr=" + kRrRecording,
                "--band", "address=" + kBand2.str() + ",name=WG-Band 02,rr=" + kRrRecording,
                "--speed", "60", "--sent-log", sentLog},
            ChildProcess::Options{bus_.environment(),
                                  dir_ / ("bandsim-" + std::to_string(runs_) + ".log"), false});
        if (!simulator_->waitForLine("bandsim: serving 2 band", kStartTimeout)) {
            FAIL("the simulator did not start; its output:\n" << simulator_->output());
        }
    }

    void stopSimulator() {
        simulator_->terminate();
        simulator_.reset();
    }

    [[nodiscard]] std::string sentLogPath() const {
        return dir_ / ("sent-" + std::to_string(runs_) + ".log");
    }

  private:
    PrivateBus bus_;
    ScopedEnv env_;
    std::filesystem::path dir_;
    std::unique_ptr<ChildProcess> simulator_;
    int runs_ = 0;
};

}  // namespace

namespace {

// The RR intervals (1/1024 s) the simulator delivered to `band`, in order,
// from its --sent-log ("address,seq,rr_raw" CSV with a header line).
std::vector<std::uint16_t> sentRr(const std::string& path, const BandAddress& band) {
    std::vector<std::uint16_t> rr;
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::stringstream fields(line);
        std::string address;
        std::string seq;
        std::string raw;
        if (std::getline(fields, address, ',') && std::getline(fields, seq, ',') &&
            std::getline(fields, raw) && address == band.str()) {
            rr.push_back(static_cast<std::uint16_t>(std::stoul(raw)));
        }
    }
    return rr;
}

// True if `received` is exactly the first received.size() intervals sent:
// nothing lost at the start (P1), nothing reordered, nothing invented.
bool isPrefixOf(const std::vector<std::uint16_t>& received,
                const std::vector<std::uint16_t>& sent) {
    return received.size() <= sent.size() &&
           std::equal(received.begin(), received.end(), sent.begin());
}

bool pairBlocking(boost::asio::io_context& io, BluezSession& session, const BandAddress& band,
                  std::optional<std::string>& error) {
    bool done = false;
    session.pair(band, [&](std::optional<std::string> e) {
        error = std::move(e);
        done = true;
    });
    return runUntil(
        io, [&] { return done; }, kStepTimeout);
}

bool knows(const BluezSession& session, const BandAddress& band) {
    const auto bands = session.discovered();
    return std::any_of(bands.begin(), bands.end(),
                       [&](const wardgate::ble::DiscoveredBand& b) { return b.address == band; });
}

}  // namespace

TEST_CASE("A session discovers both simulated bands with their names", "[integration][ble]") {
    SimulatedWard ward;
    boost::asio::io_context io;
    Recorder recorder;
    BluezSession session(io, recorder.events());

    session.startDiscovery();
    REQUIRE(runUntil(
        io, [&] { return knows(session, kBand1) && knows(session, kBand2); }, kStepTimeout));
    session.stopDiscovery();

    std::map<std::string, std::string> names;
    for (const auto& band : session.discovered()) {
        names[band.address.str()] = band.name;
        CHECK_FALSE(band.paired);
    }
    CHECK(names[kBand1.str()] == "WG-Band 01");
    CHECK(names[kBand2.str()] == "WG-Band 02");
}

TEST_CASE(
    "A paired, watched band streams exactly the RR intervals the simulator sent, and its battery",
    "[integration][ble]") {
    SimulatedWard ward;
    boost::asio::io_context io;
    Recorder recorder;
    BluezSession session(io, recorder.events());
    session.startDiscovery();
    REQUIRE(runUntil(
        io, [&] { return knows(session, kBand1); }, kStepTimeout));

    std::optional<std::string> error;
    REQUIRE(pairBlocking(io, session, kBand1, error));
    REQUIRE_FALSE(error);
    session.stopDiscovery();

    session.watch(kBand1, {});
    REQUIRE(runUntil(
        io, [&] { return recorder.rrRaw[kBand1].size() >= 200; }, kStepTimeout));
    CHECK(session.linkState(kBand1) == LinkState::Streaming);
    REQUIRE(runUntil(
        io, [&] { return session.batteryPercent(kBand1).has_value(); }, kStepTimeout));
    CHECK(*session.batteryPercent(kBand1) <= 100);
    CHECK(recorder.battery.count(kBand1) == 1);

    session.unwatch(kBand1);
    runUntil(
        io, [] { return false; }, 300ms);  // let the last signals drain
    const auto sent = sentRr(ward.sentLogPath(), kBand1);
    INFO("received " << recorder.rrRaw[kBand1].size() << " intervals, sent " << sent.size());
    CHECK(isPrefixOf(recorder.rrRaw[kBand1], sent));
    CHECK(recorder.rrRaw.count(kBand2) == 0);  // never watched, never delivered
    CHECK(recorder.malformed == 0);
    CHECK(session.linkState(kBand1) == std::nullopt);
}

TEST_CASE("A watched band streams again after the simulator restarts (link drop, reconnect)",
          "[integration][ble]") {
    SimulatedWard ward;
    boost::asio::io_context io;
    Recorder recorder;
    BluezSession session(io, recorder.events());
    session.startDiscovery();
    REQUIRE(runUntil(
        io, [&] { return knows(session, kBand1); }, kStepTimeout));
    session.watch(kBand1, {});
    REQUIRE(runUntil(
        io, [&] { return recorder.notifications[kBand1] >= 5; }, kStepTimeout));

    ward.stopSimulator();
    REQUIRE(runUntil(
        io, [&] { return recorder.reached(kBand1, LinkState::Disconnected); }, kStepTimeout));
    ward.startSimulator();  // discovery is still wanted: the session restarts it

    const int before = recorder.notifications[kBand1];
    REQUIRE(runUntil(
        io, [&] { return recorder.notifications[kBand1] >= before + 5; }, kReconnectTimeout));
    CHECK(session.linkState(kBand1) == LinkState::Streaming);
    CHECK(recorder.malformed == 0);
}

TEST_CASE("Two bands watched at once both stream, each with only its own intervals",
          "[integration][ble]") {
    SimulatedWard ward;
    boost::asio::io_context io;
    Recorder recorder;
    BluezSession session(io, recorder.events());
    session.startDiscovery();
    REQUIRE(runUntil(
        io, [&] { return knows(session, kBand1) && knows(session, kBand2); }, kStepTimeout));
    session.watch(kBand1, {});
    session.watch(kBand2, {});  // its Connect waits for band 1's to finish (P2)
    REQUIRE(runUntil(
        io,
        [&] { return recorder.rrRaw[kBand1].size() >= 50 && recorder.rrRaw[kBand2].size() >= 50; },
        kStepTimeout));
    session.unwatch(kBand1);
    session.unwatch(kBand2);
    runUntil(
        io, [] { return false; }, 300ms);
    CHECK(isPrefixOf(recorder.rrRaw[kBand1], sentRr(ward.sentLogPath(), kBand1)));
    CHECK(isPrefixOf(recorder.rrRaw[kBand2], sentRr(ward.sentLogPath(), kBand2)));
}

TEST_CASE("Removing a band makes BlueZ forget the device and stops its stream",
          "[integration][ble]") {
    SimulatedWard ward;
    boost::asio::io_context io;
    Recorder recorder;
    BluezSession session(io, recorder.events());
    session.startDiscovery();
    REQUIRE(runUntil(
        io, [&] { return knows(session, kBand1); }, kStepTimeout));
    std::optional<std::string> error;
    REQUIRE(pairBlocking(io, session, kBand1, error));
    REQUIRE_FALSE(error);
    session.stopDiscovery();
    session.watch(kBand1, {});
    REQUIRE(runUntil(
        io, [&] { return recorder.notifications[kBand1] >= 3; }, kStepTimeout));

    bool removed = false;
    session.remove(kBand1, [&](std::optional<std::string> e) {
        error = std::move(e);
        removed = true;
    });
    REQUIRE(runUntil(
        io, [&] { return removed; }, kStepTimeout));
    CHECK_FALSE(error);
    CHECK(runUntil(
        io, [&] { return !knows(session, kBand1); }, kStepTimeout));
    CHECK(session.linkState(kBand1) == std::nullopt);

    const int after = recorder.notifications[kBand1];
    runUntil(
        io, [] { return false; }, 500ms);
    CHECK(recorder.notifications[kBand1] == after);
}

TEST_CASE("A session refuses to start when BlueZ is not on the bus, naming the bus address",
          "[integration][ble]") {
    PrivateBus bus;
    ScopedEnv env("DBUS_SYSTEM_BUS_ADDRESS", bus.address());
    boost::asio::io_context io;
    try {
        BluezSession session(io, BluezEvents{});
        FAIL("constructed a session without BlueZ");
    } catch (const std::runtime_error& e) {
        CHECK_THAT(e.what(), Catch::Matchers::Contains(bus.address()));
    }
}
