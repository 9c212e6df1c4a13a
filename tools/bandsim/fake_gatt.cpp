#include "tools/bandsim/fake_gatt.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

#include "tools/bandsim/bluez_names.hpp"

namespace wardgate::bandsim {

namespace {

// bluetoothd's default ATT MTU on a fresh LE link after ExchangeMTU=517.
constexpr std::uint16_t kMtu = 517;

bool hasFlag(const std::vector<std::string>& flags, const std::string& flag) {
    return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

// Objects are announced after registration and withdrawn before destruction,
// as ObjectManager clients expect; a failed emission must not abort teardown.
void announceRemoval(sdbus::IObject& object) noexcept {
    try {
        object.emitInterfacesRemovedSignal();
    } catch (const sdbus::Error&) {  // NOLINT(bugprone-empty-catch): the bus is going away
    }
}

}  // namespace

FakeService::FakeService(sdbus::IConnection& bus, std::string path, std::string uuid,
                         const std::string& devicePath)
    : path_(std::move(path)), uuid_(std::move(uuid)), object_(sdbus::createObject(bus, path_)) {
    object_->registerProperty("UUID").onInterface(bluez::kGattService).withGetter([this] {
        return uuid_;
    });
    object_->registerProperty("Primary").onInterface(bluez::kGattService).withGetter([] {
        return true;
    });
    object_->registerProperty("Device").onInterface(bluez::kGattService).withGetter([devicePath] {
        return sdbus::ObjectPath{devicePath};
    });
    // The analyzer misses that sdbus-c++'s registrator hands the getter over in its destructor.
    // NOLINTNEXTLINE(clang-analyzer-cplusplus.NewDeleteLeaks): false positive, see above
    object_->registerProperty("Includes").onInterface(bluez::kGattService).withGetter([] {
        return std::vector<sdbus::ObjectPath>{};
    });
    object_->finishRegistration();
    object_->emitInterfacesAddedSignal();
}

FakeService::~FakeService() {
    announceRemoval(*object_);
}

FakeCharacteristic::FakeCharacteristic(sdbus::IConnection& bus, std::string path,
                                       std::string servicePath, CharacteristicSpec spec,
                                       std::function<void()> onStartNotify)
    : path_(std::move(path))
    , servicePath_(std::move(servicePath))
    , spec_(std::move(spec))
    , onStartNotify_(std::move(onStartNotify))
    , object_(sdbus::createObject(bus, path_)) {
    registerInterface();
    object_->finishRegistration();
    object_->emitInterfacesAddedSignal();
}

FakeCharacteristic::~FakeCharacteristic() {
    announceRemoval(*object_);
}

void FakeCharacteristic::registerInterface() {
    const char* iface = bluez::kGattCharacteristic;
    using Options = std::map<std::string, sdbus::Variant>;
    object_->registerMethod("ReadValue")
        .onInterface(iface)
        .withInputParamNames("options")
        .withOutputParamNames("value")
        .implementedAs([this](const Options& options) { return readValue(options); });
    object_->registerMethod("WriteValue")
        .onInterface(iface)
        .withInputParamNames("value", "options")
        .implementedAs([](const std::vector<std::uint8_t>&, const Options&) {
            bluez::fail("NotPermitted", "Write not permitted");
        });
    object_->registerMethod("StartNotify").onInterface(iface).implementedAs([this] {
        startNotify();
    });
    object_->registerMethod("StopNotify").onInterface(iface).implementedAs([this] {
        stopNotify();
    });
    // AcquireNotify (a SEQPACKET socketpair in bluetoothd, BLE.md §1.4) is not
    // simulated yet: it answers NotSupported, and NotifyAcquired is absent.
    object_->registerMethod("AcquireNotify")
        .onInterface(iface)
        .withInputParamNames("options")
        .withOutputParamNames("fd", "mtu")
        .implementedAs([](const Options&) -> std::tuple<sdbus::UnixFd, std::uint16_t> {
            bluez::fail("NotSupported", "Operation is not supported");
        });

    object_->registerProperty("UUID").onInterface(iface).withGetter([this] { return spec_.uuid; });
    object_->registerProperty("Service").onInterface(iface).withGetter(
        [this] { return sdbus::ObjectPath{servicePath_}; });
    object_->registerProperty("Value").onInterface(iface).withGetter([this] { return value_; });
    object_->registerProperty("Notifying").onInterface(iface).withGetter([this] {
        return notifying();
    });
    object_->registerProperty("Flags").onInterface(iface).withGetter(
        [this] { return spec_.flags; });
    object_->registerProperty("MTU").onInterface(iface).withGetter([] { return kMtu; });
}

std::vector<std::uint8_t> FakeCharacteristic::readValue(
    const std::map<std::string, sdbus::Variant>& options) {
    if (!spec_.read) {
        bluez::fail("NotPermitted", "Read not permitted");
    }
    std::uint16_t offset = 0;
    if (const auto it = options.find("offset"); it != options.end()) {
        if (!it->second.containsValueOfType<std::uint16_t>()) {
            bluez::fail("InvalidArguments", "Invalid arguments in method call");
        }
        offset = it->second.get<std::uint16_t>();
    }
    std::vector<std::uint8_t> value = spec_.read();
    if (offset > value.size()) {
        bluez::fail("InvalidOffset", "Invalid offset");
    }
    // bluetoothd caches what it read in Value and signals the change.
    if (value != value_) {
        value_ = value;
        object_->emitPropertiesChangedSignal(bluez::kGattCharacteristic, {"Value"});
    }
    value.erase(value.begin(), value.begin() + offset);
    return value;
}

void FakeCharacteristic::startNotify() {
    if (!hasFlag(spec_.flags, "notify") && !hasFlag(spec_.flags, "indicate")) {
        bluez::fail("NotSupported", "Operation is not supported");
    }
    // One session per client; a repeated StartNotify from the same client succeeds
    // without a second session (gatt-client.c, characteristic_start_notify).
    const bool wasNotifying = notifying();
    notifyClients_.insert(bluez::currentSender(*object_));
    if (!wasNotifying) {
        object_->emitPropertiesChangedSignal(bluez::kGattCharacteristic, {"Notifying"});
    }
    if (onStartNotify_) {
        onStartNotify_();
    }
}

void FakeCharacteristic::stopNotify() {
    const std::string sender = bluez::currentSender(*object_);
    if (notifyClients_.count(sender) == 0) {
        bluez::fail("Failed", "No notify session started");
    }
    endSession(sender);
}

void FakeCharacteristic::releaseClient(const std::string& uniqueName) {
    if (notifyClients_.count(uniqueName) != 0) {
        endSession(uniqueName);
    }
}

void FakeCharacteristic::endSession(const std::string& uniqueName) {
    notifyClients_.erase(uniqueName);
    if (!notifying()) {
        object_->emitPropertiesChangedSignal(bluez::kGattCharacteristic, {"Notifying"});
    }
}

bool FakeCharacteristic::notify(std::vector<std::uint8_t> value) {
    if (!notifying()) {
        return false;
    }
    value_ = std::move(value);
    object_->emitPropertiesChangedSignal(bluez::kGattCharacteristic, {"Value"});
    return true;
}

}  // namespace wardgate::bandsim
