#pragma once
// A private dbus-daemon that looks like the system bus to its clients
// (tools/dbus/private-system-bus.conf), for tests that run the band simulator
// as org.bluez without root or a radio (BLE.md §3.2). Stopped on destruction.
//
// Point a client at it with DBUS_SYSTEM_BUS_ADDRESS=address(): pass
// environment() to a ChildProcess, or ScopedEnv for this process.

#include "child_process.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wardgate::test {

class PrivateBus {
  public:
    // Throws std::runtime_error if the daemon does not print its address in time.
    PrivateBus();

    [[nodiscard]] const std::string& address() const noexcept { return address_; }
    [[nodiscard]] std::vector<std::string> environment() const {
        return {"DBUS_SYSTEM_BUS_ADDRESS=" + address_};
    }

  private:
    std::unique_ptr<ChildProcess> daemon_;
    std::string address_;
};

// Sets an environment variable of this process for a scope, restoring the
// previous value (or its absence) on destruction.
class ScopedEnv {
  public:
    ScopedEnv(std::string name, const std::string& value);
    ~ScopedEnv();

    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

  private:
    std::string name_;
    std::optional<std::string> previous_;
};

}  // namespace wardgate::test
