#include "tools/bandsim/fake_band.hpp"

#include <algorithm>
#include <utility>

#include "ble/decoders/heart_rate_measurement.hpp"
#include "ble/decoders/sensor_batch.hpp"
#include "ble/gatt_uuids.hpp"

namespace wardgate::bandsim {

namespace {

std::string devicePathFor(const std::string& address) {
    std::string path = std::string(bluez::kAdapterPath) + "/dev_" + address;
    std::replace(path.begin(), path.end(), ':', '_');
    return path;
}

// ATT handles of a typical small band: GAP and GATT occupy 0x0001-0x000b and
// are not exported (bluetoothd claims them), then one service per block of four.
constexpr const char* kHeartRateService = "/service000c";
constexpr const char* kHeartRateChar = "/service000c/char000d";
constexpr const char* kBatteryService = "/service0010";
constexpr const char* kBatteryChar = "/service0010/char0011";
constexpr const char* kSensorService = "/service0014";
constexpr const char* kEdaChar = "/service0014/char0015";

void announceRemoval(sdbus::IObject& object) noexcept {
    try {
        object.emitInterfacesRemovedSignal();
    } catch (const sdbus::Error&) {  // NOLINT(bugprone-empty-catch): the bus is going away
    }
}

}  // namespace

FakeBand::FakeBand(sdbus::IConnection& bus, BandSettings settings, Replay replay)
    : bus_(bus)
    , settings_(std::move(settings))
    , replay_(std::move(replay))
    , path_(devicePathFor(settings_.spec.address))
    , paired_(settings_.spec.paired)
    , rssi_(settings_.rssi)
    , alias_(settings_.spec.name) {}

void FakeBand::start() {
    if (paired_ && !device_) {
        exportDevice();  // a stored bond: bluetoothd shows it from start-up
    }
}

FakeBand::~FakeBand() {
    eda_.reset();
    battery_.reset();
    heartRate_.reset();
    services_.clear();
    if (device_) {
        announceRemoval(*device_);
    }
}

void FakeBand::appear(bluez::Clock::time_point now, std::int16_t rssiJitter) {
    if (connected_) {
        return;  // a connected peripheral stops advertising
    }
    lastSeen_ = now;
    rssi_ = static_cast<std::int16_t>(settings_.rssi + rssiJitter);
    if (!device_) {
        exportDevice();
    } else {
        emitDeviceChanged({"RSSI"});
    }
}

void FakeBand::vanish() {
    if (!device_) {
        return;
    }
    disconnect();
    announceRemoval(*device_);
    device_.reset();
    paired_ = false;
    trusted_ = false;
    blocked_ = false;
    alias_ = settings_.spec.name;
}

void FakeBand::exportDevice() {
    device_ = sdbus::createObject(bus_, path_);
    registerDeviceMethods();
    registerDeviceProperties();
    device_->finishRegistration();
    device_->emitInterfacesAddedSignal();
}

void FakeBand::registerDeviceMethods() {
    device_->registerMethod("Connect").onInterface(bluez::kDevice).implementedAs([this] {
        connect();
    });
    device_->registerMethod("Disconnect").onInterface(bluez::kDevice).implementedAs([this] {
        disconnect();
    });
    device_->registerMethod("Pair").onInterface(bluez::kDevice).implementedAs([this] { pair(); });
    device_->registerMethod("CancelPairing").onInterface(bluez::kDevice).implementedAs([] {
        bluez::fail("DoesNotExist", "Does Not Exist");  // just-works pairing is never pending
    });
    device_->registerMethod("ConnectProfile")
        .onInterface(bluez::kDevice)
        .withInputParamNames("UUID")
        .implementedAs([](const std::string&) {
            bluez::fail("NotAvailable", "Operation currently not available");
        });
    device_->registerMethod("DisconnectProfile")
        .onInterface(bluez::kDevice)
        .withInputParamNames("UUID")
        .implementedAs(
            [](const std::string&) { bluez::fail("NotSupported", "Operation is not supported"); });
}

// sd-bus does not signal a change made through Properties.Set, so each setter does.
void FakeBand::registerDeviceProperties() {
    const char* iface = bluez::kDevice;
    device_->registerProperty("Address").onInterface(iface).withGetter(
        [this] { return settings_.spec.address; });
    device_->registerProperty("AddressType").onInterface(iface).withGetter([this] {
        return settings_.spec.addressType;
    });
    device_->registerProperty("Name").onInterface(iface).withGetter(
        [this] { return settings_.spec.name; });
    device_->registerProperty("Alias")
        .onInterface(iface)
        .withGetter([this] { return alias_; })
        .withSetter([this](const std::string& alias) {
            alias_ = alias.empty() ? settings_.spec.name : alias;  // "" resets, as in BlueZ
            emitDeviceChanged({"Alias"});
        });
    device_->registerProperty("Paired").onInterface(iface).withGetter([this] { return paired_; });
    device_->registerProperty("Bonded").onInterface(iface).withGetter([this] { return paired_; });
    device_->registerProperty("Trusted")
        .onInterface(iface)
        .withGetter([this] { return trusted_; })
        .withSetter([this](const bool& trusted) {
            trusted_ = trusted;
            emitDeviceChanged({"Trusted"});
        });
    device_->registerProperty("Blocked")
        .onInterface(iface)
        .withGetter([this] { return blocked_; })
        .withSetter([this](const bool& blocked) {
            blocked_ = blocked;
            emitDeviceChanged({"Blocked"});
        });
    device_->registerProperty("LegacyPairing").onInterface(iface).withGetter([] { return false; });
    device_->registerProperty("Connected").onInterface(iface).withGetter([this] {
        return connected_;
    });
    device_->registerProperty("ServicesResolved").onInterface(iface).withGetter([this] {
        return servicesResolved_;
    });
    device_->registerProperty("RSSI").onInterface(iface).withGetter([this] { return rssi_; });
    device_->registerProperty("UUIDs").onInterface(iface).withGetter(
        [this] { return serviceUuids(); });
    device_->registerProperty("Adapter").onInterface(iface).withGetter(
        [] { return sdbus::ObjectPath{bluez::kAdapterPath}; });
}

std::vector<std::string> FakeBand::serviceUuids() const {
    std::vector<std::string> uuids{std::string(ble::gatt::kHeartRateService),
                                   std::string(ble::gatt::kBatteryService)};
    if (replay_.hasEda()) {
        uuids.emplace_back(ble::gatt::kWardgateSensorService);
    }
    return uuids;
}

void FakeBand::emitDeviceChanged(const std::vector<std::string>& names) {
    device_->emitPropertiesChangedSignal(bluez::kDevice, names);
}

// bluetoothd answers an LE Connect on a connected device with success
// (device.c, dev_connect), and sends the reply only once services are resolved.
void FakeBand::connect() {
    if (connected_) {
        return;
    }
    connected_ = true;
    emitDeviceChanged({"Connected"});
    exportGatt();
    servicesResolved_ = true;
    emitDeviceChanged({"ServicesResolved"});
}

void FakeBand::disconnect() {
    if (!connected_) {
        return;
    }
    servicesResolved_ = false;
    emitDeviceChanged({"ServicesResolved"});
    unexportGatt();
    connected_ = false;
    emitDeviceChanged({"Connected"});
    lastSeen_ = bluez::Clock::now();
}

void FakeBand::pair() {
    if (paired_) {
        bluez::fail("AlreadyExists", "Already Exists");
    }
    connect();  // LE pairing runs over a connection, which stays up afterwards
    paired_ = true;
    emitDeviceChanged({"Paired", "Bonded"});
}

void FakeBand::exportGatt() {
    auto onStart = [this] { startClock(); };
    services_.push_back(std::make_unique<FakeService>(
        bus_, path_ + kHeartRateService, std::string(ble::gatt::kHeartRateService), path_));
    heartRate_ = std::make_unique<FakeCharacteristic>(
        bus_, path_ + kHeartRateChar, path_ + kHeartRateService,
        CharacteristicSpec{std::string(ble::gatt::kHeartRateMeasurement), {"notify"}, {}}, onStart);

    services_.push_back(std::make_unique<FakeService>(
        bus_, path_ + kBatteryService, std::string(ble::gatt::kBatteryService), path_));
    auto readBattery = [this] { return std::vector<std::uint8_t>{batteryPercent_}; };
    battery_ = std::make_unique<FakeCharacteristic>(
        bus_, path_ + kBatteryChar, path_ + kBatteryService,
        CharacteristicSpec{std::string(ble::gatt::kBatteryLevel), {"read", "notify"}, readBattery},
        onStart);

    if (replay_.hasEda()) {
        services_.push_back(std::make_unique<FakeService>(
            bus_, path_ + kSensorService, std::string(ble::gatt::kWardgateSensorService), path_));
        eda_ = std::make_unique<FakeCharacteristic>(
            bus_, path_ + kEdaChar, path_ + kSensorService,
            CharacteristicSpec{std::string(ble::gatt::kWardgateEdaBatch), {"notify"}, {}}, onStart);
    }
}

void FakeBand::unexportGatt() {
    eda_.reset();
    battery_.reset();
    heartRate_.reset();
    while (!services_.empty()) {
        services_.pop_back();
    }
}

void FakeBand::releaseClient(const std::string& uniqueName) {
    for (FakeCharacteristic* c : {heartRate_.get(), battery_.get(), eda_.get()}) {
        if (c != nullptr) {
            c->releaseClient(uniqueName);
        }
    }
}

void FakeBand::startClock() {
    if (!clockStart_) {
        clockStart_ = bluez::Clock::now();
    }
}

bluez::Clock::time_point FakeBand::dueTime(std::size_t second) const {
    const auto offset = settings_.recordingSecond * static_cast<double>(second + 1);
    return *clockStart_ + std::chrono::duration_cast<bluez::Clock::duration>(offset);
}

std::optional<bluez::Clock::time_point> FakeBand::runDue(bluez::Clock::time_point now) {
    if (!clockStart_) {
        return std::nullopt;
    }
    while (dueTime(replay_.secondsDone()) <= now) {
        deliver(replay_.next());
    }
    return dueTime(replay_.secondsDone());
}

void FakeBand::deliver(const ReplaySecond& second) {
    if (second.heartRate && heartRate_ &&
        heartRate_->notify(
            ble::encodeHeartRateMeasurement(*second.heartRate, settings_.hrUint16)) &&
        settings_.sentLog != nullptr) {
        for (const std::uint16_t rr : second.heartRate->rrRaw) {
            settings_.sentLog->record(settings_.spec.address, deliveredRr_++, rr);
        }
    }
    if (eda_) {
        for (const ble::SensorBatch& batch : second.edaBatches) {
            eda_->notify(ble::encodeSensorBatch(batch));
        }
    }
    if (second.batteryPercent != batteryPercent_) {
        batteryPercent_ = second.batteryPercent;
        if (battery_) {
            battery_->notify({batteryPercent_});
        }
    }
}

}  // namespace wardgate::bandsim
