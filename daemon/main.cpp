// wardgated: the ward gateway daemon. Parses options, sets up logging,
// builds the Gateway and runs its event loop until SIGTERM or SIGINT.
// Under systemd it never forks; it notifies READY=1 once everything is set
// up and feeds the watchdog from the event loop.

#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include "daemon/config.hpp"
#include "daemon/gateway.hpp"

namespace {

namespace asio = boost::asio;
using wardgate::daemon::GatewayConfig;

void setUpLogging(const std::string& level) {
    // journald when systemd started us (it sets JOURNAL_STREAM), else stderr.
    if (std::getenv("JOURNAL_STREAM") != nullptr) {
        auto sink = std::make_shared<spdlog::sinks::systemd_sink_mt>("wardgated");
        spdlog::set_default_logger(std::make_shared<spdlog::logger>("wardgated", sink));
        spdlog::set_pattern("%v");
    } else {
        spdlog::set_default_logger(spdlog::stderr_logger_mt("wardgated"));
        spdlog::set_pattern("wardgated: %l: %v");
    }
    spdlog::set_level(spdlog::level::from_str(level));
}

// Feeds systemd's watchdog from the event loop itself, so a stuck loop stops
// the pings and systemd restarts the daemon.
void startWatchdog(asio::io_context& io, std::shared_ptr<asio::steady_timer> timer,
                   std::chrono::microseconds interval) {
    timer->expires_after(interval / 2);
    timer->async_wait([&io, timer, interval](boost::system::error_code ec) {
        if (!ec) {
            sd_notify(0, "WATCHDOG=1");
            startWatchdog(io, timer, interval);
        }
    });
}

struct Options {
    std::string configPath = "/etc/wardgate/wardgate.toml";
    bool configGiven = false;
    std::string stateDir;
    std::string socketPath;
    double timeScale = 1.0;
    double rrGapToleranceS = 1.5;
    std::string logLevel = "info";
    bool checkConfig = false;
};

GatewayConfig buildConfig(const Options& options) {
    GatewayConfig config;
    if (options.configGiven || std::filesystem::exists(options.configPath)) {
        wardgate::daemon::loadConfigFile(options.configPath, config);
    }
    if (!options.stateDir.empty()) {
        config.stateDir = options.stateDir;
    }
    if (!options.socketPath.empty()) {
        config.socketPath = options.socketPath;
    }
    config.timeScale = options.timeScale;
    config.pipeline.rrGapToleranceS = options.rrGapToleranceS;
    return config;
}

int run(const GatewayConfig& config) {
    asio::io_context io;
    wardgate::daemon::Gateway gateway(io, config);

    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int number) {
        if (!ec) {
            spdlog::info("gateway: signal {} received, stopping", number);
            sd_notify(0, "STOPPING=1");
            gateway.shutdown();
            io.stop();
        }
    });
    uint64_t watchdogUsec = 0;
    if (sd_watchdog_enabled(0, &watchdogUsec) > 0) {
        startWatchdog(io, std::make_shared<asio::steady_timer>(io),
                      std::chrono::microseconds(watchdogUsec));
    }
    sd_notify(0, "READY=1");
    io.run();
    return EXIT_SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"wardgated: the wardgate ward gateway daemon"};
    Options options;
    app.add_option("-c,--config", options.configPath, "Configuration file (TOML)")
        ->each([&](const std::string&) { options.configGiven = true; });
    app.add_option("--state-dir", options.stateDir, "Directory of the vault (overrides config)");
    app.add_option("--socket", options.socketPath, "Control socket path (overrides config)");
    app.add_option("--time-scale", options.timeScale,
                   "Stream seconds per real second; only for replaying recordings faster than "
                   "real time (demo, tests)")
        ->check(CLI::Range(0.01, 10000.0));
    app.add_option("--rr-gap-tolerance", options.rrGapToleranceS,
                   "Real seconds the RR sum may lag arrivals before a gap is declared")
        ->check(CLI::Range(0.1, 600.0));
    app.add_option("--log-level", options.logLevel, "trace, debug, info, warn, error")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
    app.add_flag("--check-config", options.checkConfig,
                 "Validate the configuration and exit without starting");
    CLI11_PARSE(app, argc, argv);

    setUpLogging(options.logLevel);
    try {
        const GatewayConfig config = buildConfig(options);
        if (options.checkConfig) {
            std::cout << "configuration ok\n";
            return EXIT_SUCCESS;
        }
        return run(config);
    } catch (const wardgate::daemon::ConfigError& e) {
        spdlog::critical("configuration error: {}", e.what());
        return 78;  // EX_CONFIG: systemd shows it as a configuration problem
    } catch (const std::exception& e) {
        spdlog::critical("cannot start: {}", e.what());
        return EXIT_FAILURE;
    }
}
