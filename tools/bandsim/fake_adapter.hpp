#pragma once
// The fake bluetoothd's fixed objects and the bands behind them:
//   /               org.freedesktop.DBus.ObjectManager
//   /org/bluez      org.bluez.AgentManager1 (agents accepted and remembered;
//                   no Agent1 callbacks yet: pairing is just-works)
//   /org/bluez/hci0 org.bluez.Adapter1
// Discovery follows bluetoothd 5.66 (doc/adapter-api.txt): one session per
// client, shared, Discovering true while any session is open; sessions (and
// notify sessions and agents) end when their client leaves the bus. While
// discovering, every band that is not connected "advertises" once a second:
// its Device1 appears (InterfacesAdded) or its RSSI changes. Unpaired,
// unconnected devices are removed 30 s after they were last seen
// (TemporaryTimeout=30); paired ones stay. RemoveDevice disconnects, forgets
// the pairing and removes the object.
//
// Threading: construction and runDue() on the event-loop thread, which also
// runs every D-Bus callback.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "tools/bandsim/bluez_names.hpp"
#include "tools/bandsim/fake_band.hpp"

namespace wardgate::bandsim {

class FakeAdapter {
  public:
    FakeAdapter(sdbus::IConnection& bus, std::vector<std::unique_ptr<FakeBand>> bands);
    FakeAdapter(const FakeAdapter&) = delete;
    FakeAdapter& operator=(const FakeAdapter&) = delete;
    FakeAdapter(FakeAdapter&&) = delete;
    FakeAdapter& operator=(FakeAdapter&&) = delete;
    ~FakeAdapter() = default;

    // Adverts, expiry of temporary devices and replay up to now; returns when
    // to call again at the latest.
    [[nodiscard]] bluez::Clock::time_point runDue(bluez::Clock::time_point now);

  private:
    using Dict = std::map<std::string, sdbus::Variant>;
    struct Agent {
        sdbus::ObjectPath path;
        std::string capability;
    };

    void registerAgentManager();
    void registerAdapterMethods();
    void registerAdapterProperties();
    void watchClients();

    void registerAgent(const sdbus::ObjectPath& path, const std::string& capability);
    void unregisterAgent(const sdbus::ObjectPath& path);
    void requestDefaultAgent(const sdbus::ObjectPath& path);
    void startDiscovery();
    void stopDiscovery();
    void setDiscoveryFilter(const Dict& filter);
    void removeDevice(const sdbus::ObjectPath& path);
    void setPowered(bool powered);
    void endDiscoverySession(const std::string& client);
    void clientGone(const std::string& uniqueName);

    void advertise(bluez::Clock::time_point now);
    void expireTemporaryDevices(bluez::Clock::time_point now);

    sdbus::IConnection& bus_;
    std::unique_ptr<sdbus::IObject> root_;
    std::unique_ptr<sdbus::IObject> bluez_;
    std::unique_ptr<sdbus::IObject> adapter_;
    sdbus::Slot nameWatch_;
    std::vector<std::unique_ptr<FakeBand>> bands_;  // destroyed first: they live under hci0

    std::map<std::string, Dict> discoveryClients_;  // unique name -> its filter
    std::map<std::string, Agent> agents_;           // unique name -> its agent
    std::string defaultAgentOwner_;
    bool powered_ = true;
    bool pairable_ = true;
    std::string alias_;
    bluez::Clock::time_point nextHousekeeping_{};
    unsigned advertRound_ = 0;
};

}  // namespace wardgate::bandsim
