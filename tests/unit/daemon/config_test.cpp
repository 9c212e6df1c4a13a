// wardgated's configuration file: every mistake is refused with a message
// that names the file, the line and the key.

#include "daemon/config.hpp"

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

namespace {

std::filesystem::path writeConfig(const std::string& text) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("wardgate-config-test-" + std::to_string(::getpid()) + ".toml");
    std::ofstream(path) << text;
    return path;
}

std::string errorFor(const std::string& text) {
    const auto path = writeConfig(text);
    wardgate::daemon::GatewayConfig config;
    try {
        wardgate::daemon::loadConfigFile(path, config);
    } catch (const wardgate::daemon::ConfigError& e) {
        std::filesystem::remove(path);
        return e.what();
    }
    std::filesystem::remove(path);
    return {};
}

}  // namespace

TEST_CASE("A valid configuration sets every key it names", "[daemon][config]") {
    const auto path = writeConfig(
        "state_dir = \"/tmp/x\"\nsocket = \"/tmp/x.sock\"\nsocket_mode = 0o660\n"
        "epoch_hours = 12\n[hrv]\nwindow_s = 120\nhop_s = 30\n");
    wardgate::daemon::GatewayConfig config;
    wardgate::daemon::loadConfigFile(path, config);
    std::filesystem::remove(path);
    CHECK(config.stateDir == "/tmp/x");
    CHECK(config.socketPath == "/tmp/x.sock");
    CHECK(config.socketMode == 0660);
    CHECK(config.epochLength == std::chrono::hours(12));
    CHECK(config.pipeline.hrvWindow.lengthS == 120.0);
    CHECK(config.pipeline.hrvWindow.hopS == 30.0);
}

TEST_CASE("Configuration errors name the line and the key", "[daemon][config]") {
    CHECK_THAT(errorFor("state_dir = 3\n"), Catch::Contains(":1: state_dir: must be a quoted"));
    CHECK_THAT(errorFor("\n\nwindow = 3\n"), Catch::Contains(":3: window: unknown key"));
    CHECK_THAT(errorFor("[hrv]\nwindow_s = 5\n"),
               Catch::Contains(":2: window_s: must be a number from 30 to 3600"));
    CHECK_THAT(errorFor("[hrv]\nwindow_s = 60\nhop_s = 120\n"),
               Catch::Contains("hop_s must not exceed window_s"));
    CHECK_THAT(errorFor("state_dir = \"unterminated\n"), Catch::Contains(":1:"));
    CHECK_THAT(errorFor("epoch_hours = \"a day\"\n"), Catch::Contains("epoch_hours"));
}
