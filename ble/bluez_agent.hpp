#pragma once
// The pairing agent BlueZ calls back into (org.bluez.Agent1, BLE.md §1.5),
// registered with capability NoInputNoOutput: just-works only, for now.
//
// It accepts a confirmation or authorization request only for a device this
// process is pairing at that moment (expect()); every other request, and every
// PIN or passkey request, is rejected, so a stranger's band cannot pair itself
// while the gateway happens to be listening.
//
// Internal to ble/. Threading: the io_context's thread only (the connection is
// pumped there, so the exported methods run there too).

#include <memory>
#include <set>
#include <string>

namespace sdbus {
class IConnection;
class IObject;
}  // namespace sdbus

namespace wardgate::ble::detail {

class BluezAgent {
  public:
    // Exports the agent object on the connection (not yet registered with BlueZ).
    explicit BluezAgent(sdbus::IConnection& connection);
    ~BluezAgent();

    BluezAgent(const BluezAgent&) = delete;
    BluezAgent& operator=(const BluezAgent&) = delete;

    [[nodiscard]] static const char* capability() noexcept { return "NoInputNoOutput"; }

    void expect(const std::string& devicePath) { pairing_.insert(devicePath); }
    void forget(const std::string& devicePath) { pairing_.erase(devicePath); }

  private:
    void registerMethods();
    void requireExpected(const std::string& devicePath) const;

    std::unique_ptr<sdbus::IObject> object_;
    std::set<std::string> pairing_;
};

}  // namespace wardgate::ble::detail
