#include "private_bus.hpp"

#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace wardgate::test {

namespace {

constexpr auto kStartTimeout = std::chrono::seconds(10);

}  // namespace

PrivateBus::PrivateBus() {
    ChildProcess::Options options;
    options.captureStdout = true;  // --print-address=1 writes the address to stdout
    daemon_ = std::make_unique<ChildProcess>(
        "dbus-daemon",
        std::vector<std::string>{"--config-file=" WARDGATE_PRIVATE_BUS_CONFIG, "--nofork",
                                 "--print-address=1"},
        options);
    auto line = daemon_->waitForLine("^unix:", kStartTimeout);
    if (!line) {
        throw std::runtime_error("dbus-daemon printed no address; its output: " +
                                 daemon_->output());
    }
    address_ = *line;
}

ScopedEnv::ScopedEnv(std::string name, const std::string& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) {
        previous_ = old;
    }
    ::setenv(name_.c_str(), value.c_str(), 1);
}

ScopedEnv::~ScopedEnv() {
    if (previous_) {
        ::setenv(name_.c_str(), previous_->c_str(), 1);
    } else {
        ::unsetenv(name_.c_str());
    }
}

}  // namespace wardgate::test
