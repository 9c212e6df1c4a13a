#pragma once
// One simulated band: its org.bluez.Device1 object, the GATT objects it shows
// while connected, and the replay that feeds its notifications.
//
// Lifecycle, as bluetoothd 5.66 presents an LE peripheral:
// * appear(): the adapter saw an advert; the Device1 object is exported
//   (InterfacesAdded, with RSSI) or its RSSI updated.
// * Connect: Connected=true, then the GATT objects (InterfacesAdded), then
//   ServicesResolved=true. Disconnect reverses it and ends notify sessions.
// * Pair: connects if needed, then Paired=Bonded=true (just-works).
// * vanish(): RemoveDevice or the temporary-device timeout; disconnects,
//   forgets the pairing, InterfacesRemoved. The band itself keeps running.
// The recording clock starts at the first StartNotify on any characteristic
// and runs on, connected or not; what is produced while a characteristic has
// no subscriber is lost.
//
// Threading: every member runs on the simulator's single event-loop thread.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "tools/bandsim/bluez_names.hpp"
#include "tools/bandsim/fake_gatt.hpp"
#include "tools/bandsim/recording.hpp"
#include "tools/bandsim/replay.hpp"
#include "tools/bandsim/sent_log.hpp"

namespace wardgate::bandsim {

struct BandSettings {
    BandSpec spec;
    bool hrUint16 = false;                               // send the heart rate in the uint16 format
    std::int16_t rssi = -60;                             // dBm around which adverts vary
    std::chrono::duration<double> recordingSecond{1.0};  // wall time per recording second
    SentLog* sentLog = nullptr;                          // optional, not owned
};

class FakeBand {
  public:
    FakeBand(sdbus::IConnection& bus, BandSettings settings, Replay replay);
    ~FakeBand();
    FakeBand(const FakeBand&) = delete;
    FakeBand& operator=(const FakeBand&) = delete;
    FakeBand(FakeBand&&) = delete;
    FakeBand& operator=(FakeBand&&) = delete;

    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] bool onBus() const noexcept { return device_ != nullptr; }
    [[nodiscard]] bool paired() const noexcept { return paired_; }
    [[nodiscard]] bool connected() const noexcept { return connected_; }
    [[nodiscard]] bluez::Clock::time_point lastSeen() const noexcept { return lastSeen_; }

    // Exports the device of a band configured as already paired. Call once the
    // ObjectManager at / exists, since InterfacesAdded needs it.
    void start();
    void appear(bluez::Clock::time_point now, std::int16_t rssiJitter);
    void vanish();
    void disconnect();
    void releaseClient(const std::string& uniqueName);

    // Produces every recording second that is due by now; returns when the next
    // one is due (nullopt before the clock starts).
    std::optional<bluez::Clock::time_point> runDue(bluez::Clock::time_point now);

  private:
    void exportDevice();
    void registerDeviceMethods();
    void registerDeviceProperties();
    void connect();
    void pair();
    void exportGatt();
    void unexportGatt();
    void startClock();
    void deliver(const ReplaySecond& second);
    void emitDeviceChanged(const std::vector<std::string>& names);
    [[nodiscard]] std::vector<std::string> serviceUuids() const;
    [[nodiscard]] bluez::Clock::time_point dueTime(std::size_t second) const;

    sdbus::IConnection& bus_;
    BandSettings settings_;
    Replay replay_;
    std::string path_;

    std::unique_ptr<sdbus::IObject> device_;
    bool paired_ = false;
    bool trusted_ = false;
    bool blocked_ = false;
    bool connected_ = false;
    bool servicesResolved_ = false;
    std::int16_t rssi_;
    std::string alias_;
    bluez::Clock::time_point lastSeen_{};

    // Characteristics go before services: their InterfacesRemoved come first.
    std::vector<std::unique_ptr<FakeService>> services_;
    std::unique_ptr<FakeCharacteristic> heartRate_;
    std::unique_ptr<FakeCharacteristic> battery_;
    std::unique_ptr<FakeCharacteristic> eda_;

    std::optional<bluez::Clock::time_point> clockStart_;
    std::uint8_t batteryPercent_ = 100;
    std::uint64_t deliveredRr_ = 0;
};

}  // namespace wardgate::bandsim
