#include "bandsim_harness.hpp"

#include <stdexcept>

#include <poll.h>

namespace wardgate::test {

namespace {
constexpr auto kStartTimeout = std::chrono::seconds(10);
}  // namespace

std::string testDataPath(const std::string& relative) {
    return std::string(WARDGATE_TEST_DATA_DIR) + "/" + relative;
}

std::string bandsimPath() {
    return std::string(WARDGATE_BINARY_DIR) + "/tools/bandsim/wardgate-bandsim";
}

PrivateBus::PrivateBus()
    : daemon_({"/usr/bin/dbus-daemon",
               "--config-file=" + testDataPath("../../tools/dbus/private-system-bus.conf"),
               "--nofork", "--print-address=1"},
              {}) {
    const auto line = daemon_.readStdoutLine(kStartTimeout);
    if (!line || line->empty()) {
        throw std::runtime_error("dbus-daemon printed no address");
    }
    address_ = *line;
}

Bandsim::Bandsim(const PrivateBus& bus, std::vector<std::string> args)
    : process_(
          [&] {
              args.insert(args.begin(), bandsimPath());
              return args;
          }(),
          {"DBUS_SYSTEM_BUS_ADDRESS=" + bus.address()}) {
    const auto line = process_.readStderrLine(kStartTimeout);
    if (!line || line->rfind("bandsim: serving", 0) != 0) {
        throw std::runtime_error("bandsim did not start: " + line.value_or("(no output)"));
    }
}

BluezClient::BluezClient(const PrivateBus& bus)
    : connection_(sdbus::createSessionBusConnectionWithAddress(bus.address())) {}

void BluezClient::pump(std::chrono::milliseconds duration) {
    const auto end = std::chrono::steady_clock::now() + duration;
    for (;;) {
        while (connection_->processPendingRequest()) {
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            end - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return;
        }
        const auto poll = connection_->getEventLoopPollData();
        int timeout = poll.getPollTimeout();
        if (timeout < 0 || timeout > left.count()) {
            timeout = static_cast<int>(left.count());
        }
        pollfd p{poll.fd, poll.events, 0};
        ::poll(&p, 1, timeout);
    }
}

sdbus::IProxy& BluezClient::proxy(const std::string& path) {
    auto& slot = proxies_[path];
    if (!slot) {
        slot = sdbus::createProxy(*connection_, "org.bluez", path);
        slot->finishRegistration();
    }
    return *slot;
}

ManagedObjects BluezClient::managedObjects() {
    ManagedObjects objects;
    proxy("/")
        .callMethod("GetManagedObjects")
        .onInterface("org.freedesktop.DBus.ObjectManager")
        .storeResultsTo(objects);
    return objects;
}

void BluezClient::call(const std::string& path, const std::string& iface,
                       const std::string& method) {
    proxy(path).callMethod(method).onInterface(iface);
}

void BluezClient::removeDevice(const std::string& devicePath) {
    proxy("/org/bluez/hci0")
        .callMethod("RemoveDevice")
        .onInterface("org.bluez.Adapter1")
        .withArguments(sdbus::ObjectPath{devicePath});
}

sdbus::Variant BluezClient::property(const std::string& path, const std::string& iface,
                                     const std::string& name) {
    return proxy(path).getProperty(name).onInterface(iface);
}

void BluezClient::collectValues(const std::string& charPath) {
    auto p = sdbus::createProxy(*connection_, "org.bluez", charPath);
    p->uponSignal("PropertiesChanged")
        .onInterface("org.freedesktop.DBus.Properties")
        .call([this, charPath](const std::string& iface,
                               const std::map<std::string, sdbus::Variant>& changed,
                               const std::vector<std::string>&) {
            const auto it = changed.find("Value");
            if (iface == "org.bluez.GattCharacteristic1" && it != changed.end()) {
                values_[charPath].push_back(it->second.get<std::vector<std::uint8_t>>());
            }
        });
    p->finishRegistration();
    proxies_["signals:" + charPath] = std::move(p);
}

const std::vector<std::vector<std::uint8_t>>& BluezClient::values(const std::string& charPath) {
    return values_[charPath];
}

}  // namespace wardgate::test
