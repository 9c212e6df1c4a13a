// The whole path on a private bus: band simulator (as org.bluez) replaying a
// 24-hour Holter RR recording at 60x, wardgated, and the wardgate CLI that
// enrols the simulated worker and reads their features back with their
// passphrase. The features must equal the ones recomputed here from the
// exact intervals the simulator delivered, and the vault's files must not
// hold any of them in the clear.

#include "child_process.hpp"
#include "expected_hrv.hpp"
#include "private_bus.hpp"

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace {

using namespace std::chrono_literals;
using wardgate::test::ChildProcess;
using wardgate::test::PrivateBus;
namespace fs = std::filesystem;

const std::string kBin = WARDGATE_BINARY_DIR;
const std::string kData = WARDGATE_TEST_DATA_DIR;
constexpr const char* kAddress = "F4:57:A1:00:00:01";
constexpr const char* kPassphrase = "correct horse battery staple";
constexpr double kSpeed = 60.0;
constexpr double kRecordingSecondsWanted = 36 * 60.0;

struct Scratch {
    fs::path dir;
    Scratch() {
        char pattern[] = "/tmp/wardgate-e2e.XXXXXX";
        dir = ::mkdtemp(pattern);
    }
    ~Scratch() {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
};

// Runs the CLI to completion and returns its output (stdout and stderr).
std::string runCli(const std::vector<std::string>& args, const std::vector<std::string>& env,
                   int expectedStatus = 0) {
    ChildProcess::Options options;
    options.environment = env;
    options.captureStdout = true;
    ChildProcess cli(kBin + "/tools/wardgate", args, options);
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (!cli.exitStatus() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(20ms);
    }
    const auto status = cli.exitStatus();
    INFO("wardgate " << args.front() << " said:\n" << cli.output());
    REQUIRE(status.has_value());
    REQUIRE(*status == expectedStatus);
    return cli.output();
}

std::vector<double> sentRrMs(const fs::path& log) {
    std::ifstream in(log);
    std::string line;
    std::getline(in, line);  // header
    std::vector<double> rr;
    while (std::getline(in, line)) {
        const auto lastComma = line.rfind(',');
        rr.push_back(std::stod(line.substr(lastComma + 1)) * 1000.0 / 1024.0);
    }
    return rr;
}

std::string fileBytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void requireClose(double actual, double expected, const char* what, std::size_t window) {
    INFO(what << " in window " << window << ": gateway " << actual << ", recomputed " << expected);
    const double scale = std::max(std::fabs(expected), 1e-300);
    REQUIRE(std::fabs(actual - expected) / scale <= 1e-9);
}

std::vector<std::string> canariesOf(const nlohmann::json& window) {
    std::vector<std::string> canaries;
    for (const auto& [name, value] : window["features"].items()) {
        if (!value.is_number() || value.get<double>() == 0.0) {
            continue;
        }
        const double v = value.get<double>();
        canaries.push_back(nlohmann::json(v).dump());  // the exact JSON text
        char text[64];
        std::snprintf(text, sizeof(text), "%.6f", v);
        canaries.emplace_back(text);
        std::string raw(sizeof(double), '\0');
        std::memcpy(raw.data(), &v, sizeof(double));
        canaries.push_back(raw);
    }
    return canaries;
}

void requireNoCanary(const fs::path& stateDir, const std::vector<std::string>& canaries) {
    for (const auto& entry : fs::directory_iterator(stateDir)) {
        const std::string bytes = fileBytes(entry.path());
        for (const auto& canary : canaries) {
            INFO("file " << entry.path().filename().string() << " canary length " << canary.size());
            REQUIRE(bytes.find(canary) == std::string::npos);
        }
    }
}

// A private bus with the simulator serving one band that replays `recording`,
// and wardgated on that bus with its vault in the scratch directory.
struct RunningGateway {
    Scratch scratch;
    PrivateBus bus;
    fs::path stateDir = scratch.dir / "state";
    std::string socket = (scratch.dir / "control.sock").string();
    std::string pass = (scratch.dir / "pass").string();
    std::unique_ptr<ChildProcess> bandsim;
    std::unique_ptr<ChildProcess> daemon;

    RunningGateway(const std::string& recording, const std::vector<std::string>& simulatorArgs) {
        std::ofstream(pass) << kPassphrase << "\n";
        ChildProcess::Options simOptions;
        simOptions.environment = bus.environment();
        std::vector<std::string> args{"--speed", "60", "--band",
                                      std::string("address=") + kAddress +
                                          ",name=WG-Band 01,rr=" + kData + "/rr/" + recording};
        args.insert(args.end(), simulatorArgs.begin(), simulatorArgs.end());
        bandsim = std::make_unique<ChildProcess>(kBin + "/tools/bandsim/wardgate-bandsim", args,
                                                 simOptions);
        REQUIRE(bandsim->waitForLine("serving", 10s));

        // A generous gap tolerance: these recordings have no gaps, and a loaded
        // CI machine must not invent one by delivering a notification late.
        ChildProcess::Options daemonOptions;
        daemonOptions.environment = bus.environment();
        daemon = std::make_unique<ChildProcess>(
            kBin + "/daemon/wardgated",
            std::vector<std::string>{"--state-dir", stateDir.string(), "--socket", socket,
                                     "--time-scale", "60", "--rr-gap-tolerance", "60", "--config",
                                     "/dev/null"},
            daemonOptions);
        REQUIRE(daemon->waitForLine("gateway: started", 10s));
    }

    // The environment the CLI runs in: the same bus and socket.
    [[nodiscard]] std::vector<std::string> cliEnvironment() const {
        std::vector<std::string> env = bus.environment();
        env.push_back("WARDGATE_SOCKET=" + socket);
        return env;
    }
};

}  // namespace

TEST_CASE("A simulated worker's windows equal the features of the intervals their band sent",
          "[integration][e2e]") {
    const fs::path sentLog =
        fs::temp_directory_path() / ("wardgate-e2e-sent-" + std::to_string(::getpid()) + ".csv");
    fs::remove(sentLog);
    RunningGateway gateway("nsr2db_nsr001.csv", {"--sent-log", sentLog.string()});
    const auto env = gateway.cliEnvironment();
    const std::string& pass = gateway.pass;
    const fs::path& stateDir = gateway.stateDir;
    const std::string scan = runCli({"scan", "--seconds", "1"}, env);
    REQUIRE(scan.find(kAddress) != std::string::npos);
    runCli({"pair", kAddress, "--signals", "hrv", "--yes", "--passphrase-file", pass}, env);

    // Let the band stream at least kRecordingSecondsWanted of recording time.
    std::this_thread::sleep_for(std::chrono::duration<double>(kRecordingSecondsWanted / kSpeed));
    gateway.bandsim->terminate();
    std::this_thread::sleep_for(500ms);

    const std::string me =
        runCli({"--json", "me", "--band", kAddress, "--passphrase-file", pass}, env);
    std::vector<nlohmann::json> windows;
    std::istringstream lines(me);
    for (std::string line; std::getline(lines, line);) {
        windows.push_back(nlohmann::json::parse(line));
    }

    const std::vector<double> rr = sentRrMs(sentLog);
    double sentSeconds = 0.0;
    for (const double v : rr) {
        sentSeconds += v / 1000.0;
    }
    INFO("delivered " << rr.size() << " intervals, " << sentSeconds << " s of recording");
    REQUIRE(sentSeconds >= 30 * 60.0);
    REQUIRE(windows.size() >= 26);

    const double origin = windows.front()["stream_start_s"].get<double>();
    for (std::size_t i = 0; i < windows.size(); ++i) {
        const auto& w = windows[i];
        const double startS = w["stream_start_s"].get<double>() - origin;
        REQUIRE(std::fabs(startS - 60.0 * static_cast<double>(i)) < 1e-6);
        const auto expected = wardgate::test::expectedWindow(rr, startS, 300.0);
        REQUIRE(w["n_intervals"].get<std::size_t>() == expected.n);
        const auto& f = w["features"];
        requireClose(f["MeanNN"].get<double>(), expected.meanNN, "MeanNN", i);
        requireClose(f["SDNN"].get<double>(), *expected.sdnn, "SDNN", i);
        requireClose(f["RMSSD"].get<double>(), *expected.rmssd, "RMSSD", i);
        requireClose(f["pNN50"].get<double>(), *expected.pnn50, "pNN50", i);
    }

    // The vault holds none of a window's values in the clear, nor anything a
    // person could be named by, while running and after a clean stop.
    std::vector<std::string> canaries = canariesOf(windows.at(windows.size() / 2));
    canaries.emplace_back("WG-Band 01");
    canaries.emplace_back(kPassphrase);
    requireNoCanary(stateDir, canaries);
    REQUIRE(gateway.daemon->terminate() == 0);
    requireNoCanary(stateDir, canaries);
    fs::remove(sentLog);
}

TEST_CASE("A worker who withdraws is unpaired and leaves nothing behind in the vault",
          "[integration][e2e]") {
    RunningGateway gateway("rrhealthy_000.csv", {});
    const auto env = gateway.cliEnvironment();
    const std::string& pass = gateway.pass;
    const fs::path wrongPass = gateway.scratch.dir / "wrong";
    std::ofstream(wrongPass) << "not my passphrase at all\n";
    runCli({"scan", "--seconds", "1"}, env);
    const std::string paired = runCli(
        {"--json", "pair", kAddress, "--signals", "hrv", "--yes", "--passphrase-file", pass}, env);
    const auto participant =
        nlohmann::json::parse(paired.substr(paired.rfind('{')))["participant"].get<std::string>();

    // A second enrolment of the same band is refused, and so is a wrong passphrase.
    const std::string again =
        runCli({"pair", kAddress, "--signals", "hrv", "--yes", "--passphrase-file", pass}, env, 1);
    CHECK_THAT(again, Catch::Contains("already enrolled"));
    std::this_thread::sleep_for(12s);  // twelve minutes of recording: several windows
    const std::string wrong =
        runCli({"me", "--band", kAddress, "--passphrase-file", wrongPass.string()}, env, 1);
    CHECK_THAT(wrong, Catch::Contains("wrong passphrase"));
    const std::string me =
        runCli({"--json", "me", "--band", kAddress, "--passphrase-file", pass}, env);
    REQUIRE(me.find("\"hrv\"") != std::string::npos);

    runCli({"withdraw", "--band", kAddress, "--passphrase-file", pass, "--yes"}, env);
    const std::string gone = runCli({"me", "--band", kAddress, "--passphrase-file", pass}, env, 1);
    CHECK_THAT(gone, Catch::Contains("no worker is enrolled"));
    const auto status = nlohmann::json::parse(runCli({"--json", "status"}, env));
    CHECK(status["vault"]["participants"] == 0);
    CHECK(status["vault"]["rows"] == 0);
    const std::string scan = runCli({"--json", "scan", "--seconds", "1"}, env);
    for (const auto& band : nlohmann::json::parse(scan)) {
        CHECK_FALSE(band["paired"].get<bool>());
    }

    // The participant id is in neither its text nor its byte form.
    std::vector<std::string> canaries{participant, participant.substr(2)};
    std::string raw;
    for (std::size_t i = 2; i + 1 < participant.size(); i += 2) {
        raw.push_back(static_cast<char>(std::stoi(participant.substr(i, 2), nullptr, 16)));
    }
    canaries.push_back(raw);
    requireNoCanary(gateway.stateDir, canaries);
    REQUIRE(gateway.daemon->terminate() == 0);
    requireNoCanary(gateway.stateDir, canaries);
}
