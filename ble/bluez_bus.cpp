#include "ble/bluez_bus.hpp"

#include <cstdlib>
#include <stdexcept>

#include <boost/asio/post.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "ble/bluez_names.hpp"

namespace wardgate::ble::detail {

namespace {

constexpr auto kStartupTimeout = std::chrono::seconds(5);
constexpr auto kReloadTimeout = std::chrono::seconds(10);
constexpr auto kAgentTimeout = std::chrono::seconds(5);
constexpr auto kSetTimeout = std::chrono::seconds(10);

std::string systemBusAddress() {
    const char* env = std::getenv("DBUS_SYSTEM_BUS_ADDRESS");
    return env != nullptr ? env : "unix:path=/run/dbus/system_bus_socket";
}

std::uint64_t toMicroseconds(std::chrono::milliseconds timeout) {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(timeout).count());
}

// sd-bus is C: nothing may unwind through it, so every signal handler is
// wrapped. A signal that fails to unpack is not BlueZ's documented shape.
template <typename Handler>
sdbus::message_handler guarded(const char* what, Handler handler) {
    return [what, handler = std::move(handler)](sdbus::Message& message) {
        try {
            handler(message);
        } catch (const std::exception& e) {
            spdlog::warn("ble: dropped a {} signal: {}", what, e.what());
        }
    };
}

}  // namespace

BluezBus::BluezBus(boost::asio::io_context& io, Hooks hooks)
    : io_(io)
    , hooks_(std::move(hooks))
    , address_(systemBusAddress())
    , self_(std::make_shared<BluezBus*>(this)) {
    connect();
    addMatches();
    agent_ = std::make_unique<BluezAgent>(*connection_);
    loadObjectsBlocking();
    pump_ = std::make_unique<DbusAsio>(io_, *connection_);
    registerAgent();
}

BluezBus::~BluezBus() = default;

void BluezBus::connect() {
    try {
        connection_ = sdbus::createSystemBusConnection();
    } catch (const sdbus::Error& e) {
        throw std::runtime_error(
            fmt::format("cannot connect to the system bus at {}: {}", address_, e.getMessage()));
    }
}

void BluezBus::addMatches() {
    const std::string sender = fmt::format("sender='{}'", kBluezService);
    matches_.push_back(connection_->addMatch(
        fmt::format("type='signal',{},interface='{}',path='/'", sender, kObjectManagerInterface),
        guarded("ObjectManager", [this](sdbus::Message& m) { onObjectManagerSignal(m); })));
    matches_.push_back(connection_->addMatch(
        fmt::format(
            "type='signal',{},interface='{}',member='PropertiesChanged',path_namespace='{}'",
            sender, kPropertiesInterface, kBluezRoot),
        guarded("PropertiesChanged", [this](sdbus::Message& m) { onPropertiesChanged(m); })));
    matches_.push_back(connection_->addMatch(
        fmt::format(
            "type='signal',sender='{0}',interface='{0}',member='NameOwnerChanged',arg0='{1}'",
            kDbusService, kBluezService),
        guarded("NameOwnerChanged", [this](sdbus::Message& m) { onNameOwnerChanged(m); })));
}

void BluezBus::loadObjectsBlocking() {
    // Blocking on purpose: the constructor must say whether BlueZ is there,
    // and the io_context is not running yet.
    ManagedObjects objects;
    try {
        proxyFor("/")
            .callMethod("GetManagedObjects")
            .onInterface(kObjectManagerInterface)
            .withTimeout(kStartupTimeout)
            .storeResultsTo(objects);
    } catch (const sdbus::Error& e) {
        throw std::runtime_error(
            fmt::format("BlueZ ({}) is not reachable on the system bus at {}: {}", kBluezService,
                        address_, e.getMessage()));
    }
    objects_.reset(objects);
    spdlog::info("ble: connected to BlueZ, objects={}", objects.size());
}

void BluezBus::reloadObjects() {
    call("/", kObjectManagerInterface, "GetManagedObjects", kReloadTimeout,
         [this](sdbus::MethodReply& reply, const CallError* error) {
             if (error != nullptr) {
                 spdlog::error("ble: reloading BlueZ objects failed: {}", error->oneLine());
                 return;
             }
             ManagedObjects objects;
             reply >> objects;
             objects_.reset(objects);
             spdlog::info("ble: BlueZ objects reloaded, objects={}", objects.size());
             registerAgent();
             if (hooks_.serviceReady) {
                 hooks_.serviceReady();
             }
         });
}

void BluezBus::registerAgent() {
    call(
        kBluezRoot, kAgentManagerInterface, "RegisterAgent", kAgentTimeout,
        [](sdbus::MethodReply&, const CallError* error) {
            if (error != nullptr && error->name != kErrorAlreadyExists) {
                spdlog::error("ble: registering the pairing agent failed: {}", error->oneLine());
            }
        },
        sdbus::ObjectPath(kAgentPath), std::string(BluezAgent::capability()));
}

void BluezBus::setProperty(const std::string& path, const char* interface, const char* name,
                           const sdbus::Variant& value, ReplyHandler onReply) {
    call(path, kPropertiesInterface, "Set", kSetTimeout, std::move(onReply), std::string(interface),
         std::string(name), value);
}

void BluezBus::onObjectManagerSignal(sdbus::Message& message) {
    sdbus::ObjectPath path;
    message >> path;
    if (message.getMemberName() == "InterfacesAdded") {
        InterfaceMap interfaces;
        message >> interfaces;
        objects_.addInterfaces(path, interfaces);
    } else if (message.getMemberName() == "InterfacesRemoved") {
        std::vector<std::string> interfaces;
        message >> interfaces;
        objects_.removeInterfaces(path, interfaces);
    } else {
        return;
    }
    if (hooks_.objectChanged) {
        hooks_.objectChanged(path);
    }
}

void BluezBus::onPropertiesChanged(sdbus::Message& message) {
    const auto arrival = std::chrono::steady_clock::now();
    const std::string path = message.getPath();
    std::string interface;
    PropertyMap changed;
    std::vector<std::string> invalidated;
    message >> interface >> changed >> invalidated;

    if (interface == kCharacteristicInterface) {
        auto value = changed.find("Value");
        if (value != changed.end()) {
            if (value->second.containsValueOfType<std::vector<std::uint8_t>>() &&
                hooks_.characteristicValue) {
                hooks_.characteristicValue(path, value->second.get<std::vector<std::uint8_t>>(),
                                           arrival);
            }
            changed.erase(value);  // the mirror keeps no sample data
            if (changed.empty() && invalidated.empty()) {
                return;
            }
        }
    }
    objects_.updateProperties(path, interface, changed, invalidated);
    if (hooks_.objectChanged) {
        hooks_.objectChanged(path);
    }
}

void BluezBus::onNameOwnerChanged(sdbus::Message& message) {
    std::string name;
    std::string oldOwner;
    std::string newOwner;
    message >> name >> oldOwner >> newOwner;
    if (name != kBluezService) {
        return;
    }
    if (!oldOwner.empty()) {
        spdlog::warn("ble: BlueZ left the bus");
        objects_.clear();
        if (hooks_.serviceLost) {
            hooks_.serviceLost();
        }
    }
    if (!newOwner.empty()) {
        spdlog::info("ble: BlueZ (re)appeared on the bus");
        reloadObjects();
    }
}

sdbus::IProxy& BluezBus::proxyFor(const std::string& path) {
    auto& proxy = proxies_[path];
    if (!proxy) {
        proxy = sdbus::createProxy(*connection_, kBluezService, path);
    }
    return *proxy;
}

void BluezBus::send(const std::string& path, sdbus::MethodCall& message,
                    std::chrono::milliseconds timeout, ReplyHandler onReply) {
    auto handler = [weak = std::weak_ptr<BluezBus*>(self_), onReply = std::move(onReply)](
                       sdbus::MethodReply& reply, const sdbus::Error* error) {
        if (weak.expired()) {
            return;
        }
        try {
            if (error != nullptr) {
                const CallError failure{error->getName(), error->getMessage()};
                onReply(reply, &failure);
            } else {
                onReply(reply, nullptr);
            }
        } catch (const std::exception& e) {
            spdlog::error("ble: handling a BlueZ reply failed: {}", e.what());
        }
    };
    (void)proxyFor(path).callMethod(message, std::move(handler), toMicroseconds(timeout));
    if (pump_) {
        pump_->wake();
    }
}

void BluezBus::failLater(ReplyHandler onReply, const sdbus::Error& error) {
    boost::asio::post(io_, [weak = std::weak_ptr<BluezBus*>(self_), onReply = std::move(onReply),
                            failure = CallError{error.getName(), error.getMessage()}] {
        if (weak.expired()) {
            return;
        }
        try {
            sdbus::MethodReply none;
            onReply(none, &failure);
        } catch (const std::exception& e) {
            spdlog::error("ble: handling a failed BlueZ call failed: {}", e.what());
        }
    });
}

}  // namespace wardgate::ble::detail
