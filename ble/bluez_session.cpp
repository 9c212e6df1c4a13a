#include "ble/bluez_session.hpp"

#include <map>
#include <span>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "ble/bluez_bus.hpp"
#include "ble/bluez_link.hpp"
#include "ble/bluez_names.hpp"
#include "ble/decoders/decoders.hpp"

namespace wardgate::ble {

using detail::BandLink;
using detail::BluezBus;
using detail::CallError;
using detail::Channel;

namespace {

constexpr auto kDiscoveryTimeout = std::chrono::seconds(10);
constexpr auto kPairTimeout = std::chrono::seconds(60);
constexpr auto kRemoveTimeout = std::chrono::seconds(10);

}  // namespace

std::string_view toString(LinkState state) noexcept {
    switch (state) {
        case LinkState::Disconnected:
            return "disconnected";
        case LinkState::Connecting:
            return "connecting";
        case LinkState::Resolving:
            return "resolving";
        case LinkState::Subscribing:
            return "subscribing";
        case LinkState::Streaming:
            return "streaming";
    }
    return "unknown";
}

class BluezSession::Impl : public std::enable_shared_from_this<Impl> {
  public:
    Impl(boost::asio::io_context& io, BluezEvents events)
        : io_(io), events_(std::move(events)), bus_(io, busHooks()) {}

    ~Impl() {
        // Release the bands: the calls are flushed when the connection closes.
        for (auto& [address, link] : links_) {
            link->stop();
        }
    }

    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    void startDiscovery();
    void stopDiscovery();
    [[nodiscard]] std::vector<DiscoveredBand> discovered() const {
        return bus_.objects().devices();
    }
    void pair(const BandAddress& address, Done done);
    void watch(const BandAddress& address, Subscriptions subscriptions);
    void unwatch(const BandAddress& address);
    void remove(const BandAddress& address, Done done);
    [[nodiscard]] std::optional<LinkState> linkState(const BandAddress& address) const;
    [[nodiscard]] std::optional<std::uint8_t> batteryPercent(const BandAddress& address) const;

  private:
    BluezBus::Hooks busHooks();
    void requestDiscovery();
    void forEachLink(const std::function<void(BandLink&)>& fn);
    void onValue(const BandAddress& address, Channel channel,
                 const std::vector<std::uint8_t>& value,
                 std::chrono::steady_clock::time_point arrival);
    [[nodiscard]] bool stillWanted(const BandAddress& address, Channel channel) const;
    void finish(Done done, std::optional<std::string> error);

    // Runs a user callback from a fresh stack frame on the io_context, so it
    // may call back into the session; exceptions are logged and dropped.
    template <typename Fn>
    void deliver(Fn fn) {
        boost::asio::post(io_, [weak = weak_from_this(), fn = std::move(fn)] {
            auto self = weak.lock();
            if (!self) {
                return;
            }
            try {
                fn(*self);
            } catch (const std::exception& e) {
                spdlog::error("ble: an event handler threw: {}", e.what());
            }
        });
    }

    boost::asio::io_context& io_;
    BluezEvents events_;
    BluezBus bus_;
    detail::ConnectGate connectGate_;
    std::map<BandAddress, std::unique_ptr<BandLink>> links_;
    std::map<BandAddress, std::uint8_t> battery_;
    bool discoveryWanted_ = false;
};

BluezBus::Hooks BluezSession::Impl::busHooks() {
    BluezBus::Hooks hooks;
    hooks.objectChanged = [this](const std::string&) {
        forEachLink([](BandLink& link) { link.evaluate(); });
    };
    hooks.characteristicValue = [this](const std::string& path,
                                       const std::vector<std::uint8_t>& value,
                                       std::chrono::steady_clock::time_point arrival) {
        for (auto& [address, link] : links_) {
            if (link->route(path, value, arrival)) {
                return;
            }
        }
    };
    hooks.serviceLost = [this] { forEachLink([](BandLink& link) { link.onServiceLost(); }); };
    hooks.serviceReady = [this] {
        // A restarted BlueZ has forgotten our discovery session.
        if (discoveryWanted_) {
            requestDiscovery();
        }
        forEachLink([](BandLink& link) { link.evaluate(); });
    };
    return hooks;
}

void BluezSession::Impl::forEachLink(const std::function<void(BandLink&)>& fn) {
    // Links never call back into the session synchronously, so the map is
    // stable while we walk it.
    for (auto& [address, link] : links_) {
        fn(*link);
    }
}

void BluezSession::Impl::onValue(const BandAddress& address, Channel channel,
                                 const std::vector<std::uint8_t>& value,
                                 std::chrono::steady_clock::time_point arrival) {
    const std::span<const std::uint8_t> bytes(value);
    auto malformed = [this, &address](DecodeError error) {
        deliver([address, error](Impl& self) {
            if (self.events_.malformed) {
                self.events_.malformed(address, error);
            }
        });
    };
    switch (channel) {
        case Channel::HeartRate: {
            auto decoded = decodeHeartRateMeasurement(bytes);
            if (!decoded) {
                malformed(decoded.error());
                return;
            }
            deliver([address, m = std::move(decoded).value(), arrival](Impl& self) {
                if (self.events_.heartRate && self.stillWanted(address, Channel::HeartRate)) {
                    self.events_.heartRate(address, m, arrival);
                }
            });
            return;
        }
        case Channel::Eda: {
            auto decoded = decodeSensorBatch(bytes);
            if (!decoded) {
                malformed(decoded.error());
                return;
            }
            deliver([address, b = std::move(decoded).value(), arrival](Impl& self) {
                if (self.events_.sensorBatch && self.stillWanted(address, Channel::Eda)) {
                    self.events_.sensorBatch(address, b, arrival);
                }
            });
            return;
        }
        case Channel::Battery: {
            auto decoded = decodeBatteryLevel(bytes);
            if (!decoded) {
                malformed(decoded.error());
                return;
            }
            battery_[address] = decoded.value();
            deliver([address, percent = decoded.value()](Impl& self) {
                if (self.events_.battery) {
                    self.events_.battery(address, percent);
                }
            });
            return;
        }
    }
}

bool BluezSession::Impl::stillWanted(const BandAddress& address, Channel channel) const {
    // Consent may have been withdrawn between arrival and delivery.
    auto it = links_.find(address);
    if (it == links_.end()) {
        return false;
    }
    const auto& subscriptions = it->second->subscriptions();
    return channel == Channel::HeartRate ? subscriptions.heartRate : subscriptions.eda;
}

void BluezSession::Impl::finish(Done done, std::optional<std::string> error) {
    if (!done) {
        return;
    }
    deliver([done = std::move(done), error = std::move(error)](Impl&) { done(error); });
}

void BluezSession::Impl::startDiscovery() {
    discoveryWanted_ = true;
    requestDiscovery();
}

void BluezSession::Impl::requestDiscovery() {
    auto adapter = bus_.objects().firstAdapter();
    if (!adapter) {
        spdlog::warn("ble: no Bluetooth adapter yet; discovery starts when BlueZ reappears");
        return;
    }
    const std::map<std::string, sdbus::Variant> filter{{"Transport", sdbus::Variant("le")}};
    bus_.call(
        *adapter, detail::kAdapterInterface, "SetDiscoveryFilter", kDiscoveryTimeout,
        [this, adapter = *adapter](sdbus::MethodReply&, const CallError* error) {
            if (error != nullptr) {
                spdlog::warn("ble: setting the discovery filter failed: {}", error->oneLine());
            }
            bus_.call(adapter, detail::kAdapterInterface, "StartDiscovery", kDiscoveryTimeout,
                      [](sdbus::MethodReply&, const CallError* startError) {
                          if (startError != nullptr) {
                              spdlog::error("ble: starting discovery failed: {}",
                                            startError->oneLine());
                          } else {
                              spdlog::info("ble: discovery started");
                          }
                      });
        },
        filter);
}

void BluezSession::Impl::stopDiscovery() {
    discoveryWanted_ = false;
    auto adapter = bus_.objects().firstAdapter();
    if (!adapter) {
        return;
    }
    bus_.call(*adapter, detail::kAdapterInterface, "StopDiscovery", kDiscoveryTimeout,
              [](sdbus::MethodReply&, const CallError* error) {
                  if (error != nullptr) {
                      spdlog::warn("ble: stopping discovery failed: {}", error->oneLine());
                  } else {
                      spdlog::info("ble: discovery stopped");
                  }
              });
}

void BluezSession::Impl::pair(const BandAddress& address, Done done) {
    auto path = bus_.objects().devicePath(address);
    if (!path) {
        finish(std::move(done), "band is not known to BlueZ; discover it first");
        return;
    }
    bus_.agent().expect(*path);
    bus_.call(
        *path, detail::kDeviceInterface, "Pair", kPairTimeout,
        [this, path = *path, done = std::move(done)](sdbus::MethodReply&,
                                                     const CallError* error) mutable {
            bus_.agent().forget(path);
            if (error != nullptr && error->name != detail::kErrorAlreadyExists) {
                spdlog::info("ble: pairing failed error={}", error->name);
                finish(std::move(done), error->oneLine());
                return;
            }
            // Trusted lets the band reconnect without asking the agent again.
            bus_.setProperty(
                path, detail::kDeviceInterface, "Trusted", sdbus::Variant(true),
                [this, done = std::move(done)](sdbus::MethodReply&, const CallError* setError) {
                    if (setError != nullptr) {
                        finish(done, "paired, but setting Trusted failed: " + setError->oneLine());
                        return;
                    }
                    spdlog::info("ble: band paired");
                    finish(done, std::nullopt);
                });
        });
}

void BluezSession::Impl::watch(const BandAddress& address, Subscriptions subscriptions) {
    auto it = links_.find(address);
    if (it != links_.end()) {
        it->second->update(subscriptions);
        return;
    }
    detail::LinkSink sink;
    sink.state = [this](const BandAddress& a, LinkState state) {
        deliver([a, state](Impl& self) {
            if (self.events_.linkState) {
                self.events_.linkState(a, state);
            }
        });
    };
    sink.value = [this](const BandAddress& a, Channel channel, const std::vector<std::uint8_t>& v,
                        std::chrono::steady_clock::time_point arrival) {
        onValue(a, channel, v, arrival);
    };
    auto link = std::make_unique<BandLink>(io_, bus_, connectGate_, std::move(sink), address,
                                           subscriptions);
    auto& started = *links_.emplace(address, std::move(link)).first->second;
    started.start();
}

void BluezSession::Impl::unwatch(const BandAddress& address) {
    auto it = links_.find(address);
    if (it == links_.end()) {
        return;
    }
    it->second->stop();
    links_.erase(it);
}

void BluezSession::Impl::remove(const BandAddress& address, Done done) {
    unwatch(address);
    battery_.erase(address);
    auto path = bus_.objects().devicePath(address);
    if (!path) {
        finish(std::move(done), std::nullopt);
        return;
    }
    auto adapter = bus_.objects().adapterOf(*path);
    if (!adapter) {
        finish(std::move(done), "no Bluetooth adapter");
        return;
    }
    bus_.call(
        *adapter, detail::kAdapterInterface, "RemoveDevice", kRemoveTimeout,
        [this, done = std::move(done)](sdbus::MethodReply&, const CallError* error) {
            if (error != nullptr) {
                spdlog::error("ble: removing a band failed: {}", error->oneLine());
                finish(done, error->oneLine());
                return;
            }
            spdlog::info("ble: band removed");
            finish(done, std::nullopt);
        },
        sdbus::ObjectPath(*path));
}

std::optional<LinkState> BluezSession::Impl::linkState(const BandAddress& address) const {
    auto it = links_.find(address);
    return it == links_.end() ? std::nullopt : std::optional(it->second->state());
}

std::optional<std::uint8_t> BluezSession::Impl::batteryPercent(const BandAddress& address) const {
    auto it = battery_.find(address);
    return it == battery_.end() ? std::nullopt : std::optional(it->second);
}

BluezSession::BluezSession(boost::asio::io_context& io, BluezEvents events)
    : impl_(std::make_shared<Impl>(io, std::move(events))) {}

BluezSession::~BluezSession() = default;

void BluezSession::startDiscovery() {
    impl_->startDiscovery();
}
void BluezSession::stopDiscovery() {
    impl_->stopDiscovery();
}
std::vector<DiscoveredBand> BluezSession::discovered() const {
    return impl_->discovered();
}
void BluezSession::pair(const BandAddress& a, Done done) {
    impl_->pair(a, std::move(done));
}
void BluezSession::watch(const BandAddress& a, Subscriptions s) {
    impl_->watch(a, s);
}
void BluezSession::unwatch(const BandAddress& a) {
    impl_->unwatch(a);
}
void BluezSession::remove(const BandAddress& a, Done done) {
    impl_->remove(a, std::move(done));
}

std::optional<LinkState> BluezSession::linkState(const BandAddress& a) const {
    return impl_->linkState(a);
}

std::optional<std::uint8_t> BluezSession::batteryPercent(const BandAddress& a) const {
    return impl_->batteryPercent(a);
}

}  // namespace wardgate::ble
