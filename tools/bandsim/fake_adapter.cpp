#include "tools/bandsim/fake_adapter.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "ble/gatt_uuids.hpp"

namespace wardgate::bandsim {

namespace {

constexpr const char* kAdapterAddress = "02:57:47:00:00:01";
constexpr const char* kAdapterName = "wardgate-bandsim";
constexpr auto kAdvertInterval = std::chrono::seconds(1);
constexpr auto kTemporaryTimeout = std::chrono::seconds(30);  // main.conf TemporaryTimeout
// Small, repeatable RSSI variation from advert to advert (dB).
constexpr std::array<std::int16_t, 7> kRssiJitter{0, -2, 1, -1, 2, -3, 3};

const std::set<std::string> kCapabilities{
    "", "DisplayOnly", "DisplayYesNo", "KeyboardOnly", "NoInputNoOutput", "KeyboardDisplay"};

const std::vector<std::string> kFilterKeys{"UUIDs",         "RSSI",         "Pathloss", "Transport",
                                           "DuplicateData", "Discoverable", "Pattern"};

void failInvalidArguments() {
    bluez::fail("InvalidArguments", "Invalid arguments in method call");
}

void checkFilterEntry(const std::string& key, const sdbus::Variant& value) {
    const bool typeOk =
        (key == "UUIDs" && value.containsValueOfType<std::vector<std::string>>()) ||
        (key == "RSSI" && value.containsValueOfType<std::int16_t>()) ||
        (key == "Pathloss" && value.containsValueOfType<std::uint16_t>()) ||
        ((key == "Transport" || key == "Pattern") && value.containsValueOfType<std::string>()) ||
        ((key == "DuplicateData" || key == "Discoverable") && value.containsValueOfType<bool>());
    if (!typeOk) {
        failInvalidArguments();
    }
    if (key == "Transport") {
        const auto transport = value.get<std::string>();
        if (transport != "auto" && transport != "le" && transport != "bredr") {
            failInvalidArguments();
        }
    }
}

}  // namespace

FakeAdapter::FakeAdapter(sdbus::IConnection& bus, std::vector<std::unique_ptr<FakeBand>> bands)
    : bus_(bus)
    , root_(sdbus::createObject(bus, "/"))
    , bluez_(sdbus::createObject(bus, bluez::kRootPath))
    , adapter_(sdbus::createObject(bus, bluez::kAdapterPath))
    , bands_(std::move(bands))
    , alias_(kAdapterName) {
    root_->addObjectManager();
    registerAgentManager();
    registerAdapterMethods();
    registerAdapterProperties();
    bluez_->finishRegistration();
    adapter_->finishRegistration();
    watchClients();
    for (auto& band : bands_) {
        band->start();
    }
}

void FakeAdapter::registerAgentManager() {
    const char* iface = bluez::kAgentManager;
    bluez_->registerMethod("RegisterAgent")
        .onInterface(iface)
        .withInputParamNames("agent", "capability")
        .implementedAs([this](const sdbus::ObjectPath& path, const std::string& capability) {
            registerAgent(path, capability);
        });
    bluez_->registerMethod("UnregisterAgent")
        .onInterface(iface)
        .withInputParamNames("agent")
        .implementedAs([this](const sdbus::ObjectPath& path) { unregisterAgent(path); });
    bluez_->registerMethod("RequestDefaultAgent")
        .onInterface(iface)
        .withInputParamNames("agent")
        .implementedAs([this](const sdbus::ObjectPath& path) { requestDefaultAgent(path); });
}

void FakeAdapter::registerAdapterMethods() {
    const char* iface = bluez::kAdapter;
    adapter_->registerMethod("StartDiscovery").onInterface(iface).implementedAs([this] {
        startDiscovery();
    });
    adapter_->registerMethod("StopDiscovery").onInterface(iface).implementedAs([this] {
        stopDiscovery();
    });
    adapter_->registerMethod("SetDiscoveryFilter")
        .onInterface(iface)
        .withInputParamNames("properties")
        .implementedAs([this](const Dict& filter) { setDiscoveryFilter(filter); });
    adapter_->registerMethod("RemoveDevice")
        .onInterface(iface)
        .withInputParamNames("device")
        .implementedAs([this](const sdbus::ObjectPath& path) { removeDevice(path); });
    adapter_->registerMethod("GetDiscoveryFilters")
        .onInterface(iface)
        .withOutputParamNames("filters")
        .implementedAs([] { return kFilterKeys; });
}

// sd-bus does not signal a change made through Properties.Set, so each setter does.
void FakeAdapter::registerAdapterProperties() {
    const char* iface = bluez::kAdapter;
    adapter_->registerProperty("Address").onInterface(iface).withGetter(
        [] { return std::string(kAdapterAddress); });
    adapter_->registerProperty("AddressType").onInterface(iface).withGetter([] {
        return std::string("public");
    });
    adapter_->registerProperty("Name").onInterface(iface).withGetter(
        [] { return std::string(kAdapterName); });
    adapter_->registerProperty("Alias")
        .onInterface(iface)
        .withGetter([this] { return alias_; })
        .withSetter([this](const std::string& alias) {
            alias_ = alias.empty() ? kAdapterName : alias;
            adapter_->emitPropertiesChangedSignal(bluez::kAdapter, {"Alias"});
        });
    adapter_->registerProperty("Powered")
        .onInterface(iface)
        .withGetter([this] { return powered_; })
        .withSetter([this](const bool& powered) { setPowered(powered); });
    adapter_->registerProperty("Discoverable").onInterface(iface).withGetter([] { return false; });
    adapter_->registerProperty("Pairable")
        .onInterface(iface)
        .withGetter([this] { return pairable_; })
        .withSetter([this](const bool& pairable) {
            pairable_ = pairable;
            adapter_->emitPropertiesChangedSignal(bluez::kAdapter, {"Pairable"});
        });
    adapter_->registerProperty("Discovering").onInterface(iface).withGetter([this] {
        return powered_ && !discoveryClients_.empty();
    });
    adapter_->registerProperty("UUIDs").onInterface(iface).withGetter([] {
        return std::vector<std::string>{"00001800-0000-1000-8000-00805f9b34fb",
                                        "00001801-0000-1000-8000-00805f9b34fb",
                                        std::string(ble::gatt::kDeviceInformationService)};
    });
    adapter_->registerProperty("Roles").onInterface(iface).withGetter([] {
        return std::vector<std::string>{"central", "peripheral"};
    });
}

// bluetoothd watches each client's unique name and drops its discovery session,
// notify sessions and agent when it leaves the bus.
void FakeAdapter::watchClients() {
    nameWatch_ = bus_.addMatch(
        "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
        "interface='org.freedesktop.DBus',member='NameOwnerChanged'",
        [this](sdbus::Message& message) {
            std::string name;
            std::string oldOwner;
            std::string newOwner;
            message >> name >> oldOwner >> newOwner;
            if (newOwner.empty() && !name.empty() && name.front() == ':') {
                clientGone(name);
            }
        });
}

void FakeAdapter::clientGone(const std::string& uniqueName) {
    endDiscoverySession(uniqueName);
    agents_.erase(uniqueName);
    if (defaultAgentOwner_ == uniqueName) {
        defaultAgentOwner_.clear();
    }
    for (auto& band : bands_) {
        band->releaseClient(uniqueName);
    }
}

void FakeAdapter::registerAgent(const sdbus::ObjectPath& path, const std::string& capability) {
    if (kCapabilities.count(capability) == 0) {
        failInvalidArguments();
    }
    const std::string sender = bluez::currentSender(*bluez_);
    if (agents_.count(sender) != 0) {
        bluez::fail("AlreadyExists", "Already Exists");
    }
    agents_[sender] = Agent{path, capability};
}

void FakeAdapter::unregisterAgent(const sdbus::ObjectPath& path) {
    const std::string sender = bluez::currentSender(*bluez_);
    const auto it = agents_.find(sender);
    if (it == agents_.end() || it->second.path != path) {
        bluez::fail("DoesNotExist", "No such Agent");
    }
    agents_.erase(it);
    if (defaultAgentOwner_ == sender) {
        defaultAgentOwner_.clear();
    }
}

void FakeAdapter::requestDefaultAgent(const sdbus::ObjectPath& path) {
    const std::string sender = bluez::currentSender(*bluez_);
    const auto it = agents_.find(sender);
    if (it == agents_.end() || it->second.path != path) {
        bluez::fail("DoesNotExist", "No such Agent");
    }
    defaultAgentOwner_ = sender;
}

void FakeAdapter::startDiscovery() {
    if (!powered_) {
        bluez::fail("NotReady", "Resource Not Ready");
    }
    const std::string sender = bluez::currentSender(*adapter_);
    if (discoveryClients_.count(sender) != 0) {
        bluez::fail("InProgress", "Operation already in progress");
    }
    const bool wasDiscovering = !discoveryClients_.empty();
    discoveryClients_[sender];
    if (!wasDiscovering) {
        adapter_->emitPropertiesChangedSignal(bluez::kAdapter, {"Discovering"});
    }
    // Adverts start on the next loop turn, so the reply goes out before the
    // first InterfacesAdded, as with a real scan.
    nextHousekeeping_ = bluez::Clock::now();
}

void FakeAdapter::stopDiscovery() {
    if (!powered_) {
        bluez::fail("NotReady", "Resource Not Ready");
    }
    const std::string sender = bluez::currentSender(*adapter_);
    if (discoveryClients_.count(sender) == 0) {
        bluez::fail("Failed", "No discovery started");
    }
    endDiscoverySession(sender);
}

void FakeAdapter::endDiscoverySession(const std::string& client) {
    if (discoveryClients_.erase(client) != 0 && discoveryClients_.empty()) {
        adapter_->emitPropertiesChangedSignal(bluez::kAdapter, {"Discovering"});
    }
}

// Filters are checked and stored but do not narrow what is reported: bluetoothd
// merges the filters of all clients, so a client must re-check every device anyway.
void FakeAdapter::setDiscoveryFilter(const Dict& filter) {
    for (const auto& [key, value] : filter) {
        if (std::find(kFilterKeys.begin(), kFilterKeys.end(), key) == kFilterKeys.end()) {
            failInvalidArguments();
        }
        checkFilterEntry(key, value);
    }
    if (filter.count("RSSI") != 0 && filter.count("Pathloss") != 0) {
        failInvalidArguments();
    }
    const std::string sender = bluez::currentSender(*adapter_);
    if (const auto it = discoveryClients_.find(sender); it != discoveryClients_.end()) {
        it->second = filter;
    }
}

void FakeAdapter::removeDevice(const sdbus::ObjectPath& path) {
    const auto it = std::find_if(bands_.begin(), bands_.end(), [&](const auto& band) {
        return band->onBus() && band->path() == path;
    });
    if (it == bands_.end()) {
        bluez::fail("DoesNotExist", "Does Not Exist");
    }
    (*it)->vanish();
}

void FakeAdapter::setPowered(bool powered) {
    if (powered == powered_) {
        return;
    }
    powered_ = powered;
    adapter_->emitPropertiesChangedSignal(bluez::kAdapter, {"Powered"});
    if (!powered_) {
        for (auto& band : bands_) {
            band->disconnect();
        }
        if (!discoveryClients_.empty()) {
            discoveryClients_.clear();
            adapter_->emitPropertiesChangedSignal(bluez::kAdapter, {"Discovering"});
        }
    }
}

void FakeAdapter::advertise(bluez::Clock::time_point now) {
    for (std::size_t i = 0; i < bands_.size(); ++i) {
        bands_[i]->appear(now, kRssiJitter[(advertRound_ + i) % kRssiJitter.size()]);
    }
    ++advertRound_;
}

void FakeAdapter::expireTemporaryDevices(bluez::Clock::time_point now) {
    for (auto& band : bands_) {
        if (band->onBus() && !band->paired() && !band->connected() &&
            now - band->lastSeen() >= kTemporaryTimeout) {
            band->vanish();
        }
    }
}

bluez::Clock::time_point FakeAdapter::runDue(bluez::Clock::time_point now) {
    if (now >= nextHousekeeping_) {
        if (powered_ && !discoveryClients_.empty()) {
            advertise(now);
        }
        expireTemporaryDevices(now);
        nextHousekeeping_ = now + kAdvertInterval;
    }
    bluez::Clock::time_point next = nextHousekeeping_;
    for (auto& band : bands_) {
        if (const auto due = band->runDue(now)) {
            next = std::min(next, *due);
        }
    }
    return next;
}

}  // namespace wardgate::bandsim
