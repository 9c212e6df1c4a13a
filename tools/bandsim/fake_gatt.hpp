#pragma once
// GattService1 and GattCharacteristic1 objects of one connected band, shaped
// like bluetoothd 5.66 exports them (doc/gatt-api.txt). They exist only while
// the band is connected: the band creates them (InterfacesAdded) after
// Connected turns true and destroys them (InterfacesRemoved) on disconnect.
//
// Threading: every member runs on the simulator's single event-loop thread.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

namespace wardgate::bandsim {

class FakeService {
  public:
    FakeService(sdbus::IConnection& bus, std::string path, std::string uuid,
                const std::string& devicePath);
    ~FakeService();
    FakeService(const FakeService&) = delete;
    FakeService& operator=(const FakeService&) = delete;
    FakeService(FakeService&&) = delete;
    FakeService& operator=(FakeService&&) = delete;

    [[nodiscard]] const std::string& path() const noexcept { return path_; }

  private:
    std::string path_;
    std::string uuid_;
    std::unique_ptr<sdbus::IObject> object_;
};

struct CharacteristicSpec {
    std::string uuid;
    std::vector<std::string> flags;                   // e.g. {"read", "notify"}
    std::function<std::vector<std::uint8_t>()> read;  // empty: ReadValue is NotPermitted
};

class FakeCharacteristic {
  public:
    // onStartNotify runs after every successful StartNotify.
    FakeCharacteristic(sdbus::IConnection& bus, std::string path, std::string servicePath,
                       CharacteristicSpec spec, std::function<void()> onStartNotify);
    ~FakeCharacteristic();
    FakeCharacteristic(const FakeCharacteristic&) = delete;
    FakeCharacteristic& operator=(const FakeCharacteristic&) = delete;
    FakeCharacteristic(FakeCharacteristic&&) = delete;
    FakeCharacteristic& operator=(FakeCharacteristic&&) = delete;

    [[nodiscard]] bool notifying() const noexcept { return !notifyClients_.empty(); }

    // Sends one notification (PropertiesChanged of Value) when at least one
    // client is subscribed; returns whether it was sent.
    bool notify(std::vector<std::uint8_t> value);

    // A client left the bus: its notify session ends, as in bluetoothd.
    void releaseClient(const std::string& uniqueName);

  private:
    void registerInterface();
    std::vector<std::uint8_t> readValue(const std::map<std::string, sdbus::Variant>& options);
    void startNotify();
    void stopNotify();
    void endSession(const std::string& uniqueName);

    std::string path_;
    std::string servicePath_;
    CharacteristicSpec spec_;
    std::function<void()> onStartNotify_;
    std::set<std::string> notifyClients_;
    std::vector<std::uint8_t> value_;
    std::unique_ptr<sdbus::IObject> object_;
};

}  // namespace wardgate::bandsim
