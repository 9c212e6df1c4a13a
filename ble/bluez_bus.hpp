#pragma once
// The session's view of org.bluez: the system-bus connection pumped by Asio,
// the object-tree mirror, the signal subscriptions and asynchronous method
// calls. It knows nothing of bands or consent; BluezSession and BandLink do.
//
// Signals are subscribed once, at construction, before the first
// GetManagedObjects (BLE.md pitfall P1): one match for ObjectManager signals,
// one for every PropertiesChanged under /org/bluez (characteristic values
// included, so no notification can arrive before its handler exists), and one
// for org.bluez's name owner, so a restarted bluetoothd is noticed and reloaded.
//
// Internal to ble/. Threading: the io_context's thread only.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <sdbus-c++/sdbus-c++.h>

#include "ble/bluez_agent.hpp"
#include "ble/bluez_objects.hpp"
#include "ble/dbus_asio.hpp"

namespace wardgate::ble::detail {

// A method call's outcome: nullopt on success, else the D-Bus error name and
// message. The reply is valid only when there is no error.
struct CallError {
    std::string name;
    std::string message;
    [[nodiscard]] std::string oneLine() const { return name + ": " + message; }
};
using ReplyHandler = std::function<void(sdbus::MethodReply& reply, const CallError* error)>;

class BluezBus {
  public:
    struct Hooks {
        // Something changed at `path` (interfaces or non-Value properties).
        std::function<void(const std::string& path)> objectChanged;
        // A GattCharacteristic1.Value change: one notification (or a read result).
        std::function<void(const std::string& path, const std::vector<std::uint8_t>& value,
                           std::chrono::steady_clock::time_point arrival)>
            characteristicValue;
        // org.bluez left the bus: the mirror is now empty.
        std::function<void()> serviceLost;
        // The mirror was (re)loaded from GetManagedObjects.
        std::function<void()> serviceReady;
    };

    // Throws std::runtime_error naming the bus address when the system bus or
    // org.bluez cannot be reached.
    BluezBus(boost::asio::io_context& io, Hooks hooks);
    ~BluezBus();

    BluezBus(const BluezBus&) = delete;
    BluezBus& operator=(const BluezBus&) = delete;

    [[nodiscard]] const BluezObjects& objects() const noexcept { return objects_; }
    [[nodiscard]] BluezAgent& agent() noexcept { return *agent_; }

    // Sends an asynchronous call to org.bluez; `onReply` runs later on the
    // io_context thread (never inside this call). If the bus is destroyed
    // first, it never runs. Arguments are appended in order.
    template <typename... Args>
    void call(const std::string& path, const char* interface, const char* method,
              std::chrono::milliseconds timeout, ReplyHandler onReply, const Args&... args) {
        try {
            auto message = proxyFor(path).createMethodCall(interface, method);
            ((message << args), ...);
            send(path, message, timeout, std::move(onReply));
        } catch (const sdbus::Error& e) {
            failLater(std::move(onReply), e);
        }
    }

    // Sets a property with Properties.Set.
    void setProperty(const std::string& path, const char* interface, const char* name,
                     const sdbus::Variant& value, ReplyHandler onReply);

  private:
    void connect();
    void addMatches();
    void loadObjectsBlocking();
    void reloadObjects();
    void registerAgent();

    void onObjectManagerSignal(sdbus::Message& message);
    void onPropertiesChanged(sdbus::Message& message);
    void onNameOwnerChanged(sdbus::Message& message);

    sdbus::IProxy& proxyFor(const std::string& path);
    void send(const std::string& path, sdbus::MethodCall& message,
              std::chrono::milliseconds timeout, ReplyHandler onReply);
    void failLater(ReplyHandler onReply, const sdbus::Error& error);

    boost::asio::io_context& io_;
    Hooks hooks_;
    std::string address_;
    std::unique_ptr<sdbus::IConnection> connection_;
    std::vector<sdbus::Slot> matches_;
    std::unique_ptr<BluezAgent> agent_;
    BluezObjects objects_;
    // Proxies live as long as the bus: destroying one would silently drop the
    // replies of its pending calls. Only paths we call are here (adapters, the
    // watched bands and their characteristics), so the map stays small.
    std::map<std::string, std::unique_ptr<sdbus::IProxy>> proxies_;
    std::unique_ptr<DbusAsio> pump_;
    std::shared_ptr<BluezBus*> self_;
};

}  // namespace wardgate::ble::detail
