#pragma once
// A private system bus with wardgate-bandsim on it, and a client connection
// that the test drives by hand (no threads): the shape of the demo and of the
// daemon's integration tests, small enough for one test case each.

#include "child_process.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

namespace wardgate::test {

using ManagedObjects =
    std::map<sdbus::ObjectPath, std::map<std::string, std::map<std::string, sdbus::Variant>>>;

[[nodiscard]] std::string testDataPath(const std::string& relative);
[[nodiscard]] std::string bandsimPath();

class PrivateBus {
  public:
    PrivateBus();
    [[nodiscard]] const std::string& address() const noexcept { return address_; }

  private:
    ChildProcess daemon_;
    std::string address_;
};

class Bandsim {
  public:
    // Starts the simulator with these arguments and waits for its ready line.
    Bandsim(const PrivateBus& bus, std::vector<std::string> args);
    int stop() { return process_.terminate(); }

  private:
    ChildProcess process_;
};

class BluezClient {
  public:
    explicit BluezClient(const PrivateBus& bus);

    // Processes incoming messages for the given time.
    void pump(std::chrono::milliseconds duration);

    [[nodiscard]] ManagedObjects managedObjects();
    void call(const std::string& path, const std::string& iface, const std::string& method);
    void removeDevice(const std::string& devicePath);
    [[nodiscard]] sdbus::Variant property(const std::string& path, const std::string& iface,
                                          const std::string& name);

    // Collects every Value change on a characteristic (the notification path).
    void collectValues(const std::string& charPath);
    [[nodiscard]] const std::vector<std::vector<std::uint8_t>>& values(const std::string& charPath);

  private:
    sdbus::IProxy& proxy(const std::string& path);

    std::unique_ptr<sdbus::IConnection> connection_;
    std::map<std::string, std::unique_ptr<sdbus::IProxy>> proxies_;
    std::map<std::string, std::vector<std::vector<std::uint8_t>>> values_;
};

}  // namespace wardgate::test
