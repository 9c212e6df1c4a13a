#include "ble/bluez_link.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "ble/bluez_bus.hpp"
#include "ble/bluez_names.hpp"
#include "ble/gatt_uuids.hpp"

namespace wardgate::ble::detail {

namespace {

constexpr auto kConnectTimeout = std::chrono::seconds(30);
constexpr auto kResolveTimeout = std::chrono::seconds(20);
constexpr auto kCallTimeout = std::chrono::seconds(10);
constexpr auto kMinBackoff = std::chrono::milliseconds(1000);
constexpr auto kMaxBackoff = std::chrono::milliseconds(60000);
// A link that streamed this long counts as healthy: its next drop retries fast.
constexpr auto kStableAfter = std::chrono::seconds(60);
constexpr double kJitterLow = 0.75;
constexpr double kJitterHigh = 1.25;

struct Wanted {
    std::string_view uuid;
    Channel channel;
    bool required;
};

std::vector<Wanted> wantedChannels(const Subscriptions& subscriptions) {
    std::vector<Wanted> wanted;
    if (subscriptions.heartRate) {
        wanted.push_back({gatt::kHeartRateMeasurement, Channel::HeartRate, true});
    }
    if (subscriptions.eda) {
        wanted.push_back({gatt::kWardgateEdaBatch, Channel::Eda, true});
    }
    wanted.push_back({gatt::kBatteryLevel, Channel::Battery, false});
    return wanted;
}

bool isWanted(const Subscriptions& subscriptions, Channel channel) {
    switch (channel) {
        case Channel::HeartRate:
            return subscriptions.heartRate;
        case Channel::Eda:
            return subscriptions.eda;
        case Channel::Battery:
            return true;
    }
    return false;
}

void ignoreReply(sdbus::MethodReply&, const CallError*) {}

}  // namespace

template <typename Fn>
auto BandLink::guard(Fn fn) {
    return [weak = std::weak_ptr<BandLink*>(self_), epoch = epoch_,
            fn = std::move(fn)](auto&&... args) {
        auto self = weak.lock();
        if (self && (*self)->epoch_ == epoch) {
            fn(std::forward<decltype(args)>(args)...);
        }
    };
}

BandLink::BandLink(boost::asio::io_context& io, BluezBus& bus, ConnectGate& gate, LinkSink sink,
                   BandAddress address, Subscriptions subscriptions)
    : bus_(bus)
    , gate_(gate)
    , sink_(std::move(sink))
    , address_(std::move(address))
    , subscriptions_(subscriptions)
    , retryTimer_(io)
    , deadlineTimer_(io)
    , random_(std::random_device{}())
    , self_(std::make_shared<BandLink*>(this)) {}

BandLink::~BandLink() = default;

void BandLink::start() {
    stopped_ = false;
    connect();
}

void BandLink::stop() {
    stopped_ = true;
    ++epoch_;
    retryTimer_.cancel();
    deadlineTimer_.cancel();
    for (const auto& [path, channel] : routes_) {
        bus_.call(path, kCharacteristicInterface, "StopNotify", kCallTimeout, ignoreReply);
    }
    routes_.clear();
    if (!devicePath_.empty() && state_ != LinkState::Disconnected) {
        callDevice("Disconnect");  // also cancels a Connect still pending (P2)
    }
    setState(LinkState::Disconnected);
}

void BandLink::update(Subscriptions subscriptions) {
    subscriptions_ = subscriptions;
    for (auto it = routes_.begin(); it != routes_.end();) {
        if (isWanted(subscriptions_, it->second)) {
            ++it;
            continue;
        }
        bus_.call(it->first, kCharacteristicInterface, "StopNotify", kCallTimeout, ignoreReply);
        it = routes_.erase(it);
    }
    const bool live = state_ == LinkState::Subscribing || state_ == LinkState::Streaming;
    if (live && missingRoute()) {
        // Subscribe the newly consented characteristics on this connection.
        setState(LinkState::Resolving);
        armDeadline(kResolveTimeout, "services not resolved");
        evaluate();
    }
}

bool BandLink::missingRoute() const {
    const auto wanted = wantedChannels(subscriptions_);
    return std::any_of(wanted.begin(), wanted.end(), [this](const Wanted& w) {
        return w.required && std::none_of(routes_.begin(), routes_.end(), [&](const auto& route) {
                   return route.second == w.channel;
               });
    });
}

void BandLink::connect() {
    auto path = bus_.objects().devicePath(address_);
    if (!path) {
        // Not known to BlueZ right now (out of range, or BlueZ restarting):
        // connect as soon as it appears, or at the next retry.
        waitingForDevice_ = true;
        retryLater();
        return;
    }
    waitingForDevice_ = false;
    devicePath_ = *path;
    ++epoch_;
    sawConnected_ = false;
    setState(LinkState::Connecting);

    const auto& objects = bus_.objects();
    if (objects.deviceFlag(devicePath_, "Connected") &&
        objects.deviceFlag(devicePath_, "ServicesResolved")) {
        onConnected();
        return;
    }
    gate_.request([weak = std::weak_ptr<BandLink*>(self_), epoch = epoch_] {
        auto self = weak.lock();
        if (!self || (*self)->epoch_ != epoch) {
            return false;  // stopped or dropped while queued
        }
        (*self)->sendConnect();
        return true;
    });
}

void BandLink::sendConnect() {
    auto onReply = guard([this](const CallError* error) { onConnectReply(error); });
    // The gate is released on every reply, even when this link has moved on.
    bus_.call(devicePath_, kDeviceInterface, "Connect", kConnectTimeout,
              [&gate = gate_, onReply](sdbus::MethodReply&, const CallError* error) {
                  gate.release();
                  onReply(error);
              });
}

void BandLink::onConnectReply(const CallError* error) {
    if (error != nullptr && error->name != kErrorAlreadyConnected) {
        spdlog::info("ble: connect failed error={}", error->name);
        spdlog::debug("ble: connect to {} failed: {}", address_.str(), error->oneLine());
        // A Disconnect clears a stale Connect in BlueZ before the retry (P2).
        disconnectAndRetry("connect failed");
        return;
    }
    onConnected();
}

void BandLink::onConnected() {
    setState(LinkState::Resolving);
    armDeadline(kResolveTimeout, "services not resolved");
    evaluate();
}

void BandLink::evaluate() {
    switch (state_) {
        case LinkState::Disconnected:
            if (waitingForDevice_ && !stopped_ && bus_.objects().devicePath(address_)) {
                retryTimer_.cancel();
                connect();
            }
            return;
        case LinkState::Connecting:
            return;  // the Connect reply decides
        case LinkState::Resolving:
        case LinkState::Subscribing:
        case LinkState::Streaming:
            evaluateConnected();
            return;
    }
}

void BandLink::evaluateConnected() {
    const auto& objects = bus_.objects();
    if (objects.devicePath(address_) != devicePath_) {
        drop("device removed");
        return;
    }
    if (objects.deviceFlag(devicePath_, "Connected")) {
        sawConnected_ = true;
    } else if (sawConnected_) {
        drop("disconnected");
        return;
    }
    const bool resolved = objects.deviceFlag(devicePath_, "ServicesResolved");
    if (state_ == LinkState::Resolving) {
        if (resolved && requiredPresent()) {
            subscribe();
        }
        return;
    }
    if (!resolved) {
        drop("services no longer resolved");
        return;
    }
    for (const auto& [path, channel] : routes_) {
        if (objects.owningDevice(path) != devicePath_) {
            drop("a subscribed characteristic was removed");  // P6: renumbered handles
            return;
        }
    }
}

bool BandLink::route(const std::string& path, const std::vector<std::uint8_t>& value,
                     std::chrono::steady_clock::time_point arrival) {
    auto it = routes_.find(path);
    if (it == routes_.end()) {
        return false;
    }
    if (sink_.value) {
        sink_.value(address_, it->second, value, arrival);
    }
    return true;
}

bool BandLink::requiredPresent() const {
    const auto wanted = wantedChannels(subscriptions_);
    return std::all_of(wanted.begin(), wanted.end(), [this](const Wanted& w) {
        return !w.required || bus_.objects().characteristicPath(devicePath_, w.uuid).has_value();
    });
}

void BandLink::subscribe() {
    setState(LinkState::Subscribing);
    requiredFailed_ = false;
    for (const auto& wanted : wantedChannels(subscriptions_)) {
        auto path = bus_.objects().characteristicPath(devicePath_, wanted.uuid);
        if (!path || routes_.count(*path) != 0) {
            continue;
        }
        if (wanted.channel == Channel::Battery) {
            readBattery(*path);
            if (!bus_.objects().characteristicHasFlag(*path, "notify")) {
                continue;
            }
        }
        startNotify(*path, wanted.channel);
    }
    if (pendingStarts_ == 0) {
        enterStreaming();
    }
}

void BandLink::startNotify(const std::string& path, Channel channel) {
    routes_[path] = channel;  // route first: a notification may beat the reply (P1)
    ++pendingStarts_;
    bus_.call(path, kCharacteristicInterface, "StartNotify", kCallTimeout,
              guard([this, channel](sdbus::MethodReply&, const CallError* error) {
                  onStartNotifyReply(channel, error);
              }));
}

void BandLink::readBattery(const std::string& path) {
    bus_.call(path, kCharacteristicInterface, "ReadValue", kCallTimeout,
              guard([this](sdbus::MethodReply& reply, const CallError* error) {
                  if (error != nullptr) {
                      spdlog::debug("ble: reading the battery level failed: {}", error->oneLine());
                      return;
                  }
                  std::vector<std::uint8_t> value;
                  reply >> value;
                  if (sink_.value) {
                      sink_.value(address_, Channel::Battery, value,
                                  std::chrono::steady_clock::now());
                  }
              }),
              std::map<std::string, sdbus::Variant>{});
}

void BandLink::onStartNotifyReply(Channel channel, const CallError* error) {
    --pendingStarts_;
    if (error != nullptr) {
        spdlog::info("ble: StartNotify failed error={}", error->name);
        requiredFailed_ = requiredFailed_ || channel != Channel::Battery;
    }
    if (pendingStarts_ > 0) {
        return;
    }
    if (requiredFailed_) {
        disconnectAndRetry("subscribing failed");
    } else {
        enterStreaming();
    }
}

void BandLink::enterStreaming() {
    deadlineTimer_.cancel();
    streamingSince_ = std::chrono::steady_clock::now();
    setState(LinkState::Streaming);
}

void BandLink::disconnectAndRetry(const char* reason) {
    callDevice("Disconnect");
    drop(reason);
}

void BandLink::drop(const char* reason) {
    spdlog::info("ble: link lost reason=\"{}\"", reason);
    const bool wasStable = state_ == LinkState::Streaming &&
                           std::chrono::steady_clock::now() - streamingSince_ >= kStableAfter;
    if (wasStable) {
        attempt_ = 0;
    }
    ++epoch_;
    routes_.clear();
    pendingStarts_ = 0;
    deadlineTimer_.cancel();
    retryLater();
}

void BandLink::onServiceLost() {
    if (state_ != LinkState::Disconnected) {
        drop("BlueZ left the bus");
    } else {
        waitingForDevice_ = true;
    }
}

void BandLink::retryLater() {
    setState(LinkState::Disconnected);
    if (stopped_) {
        return;
    }
    retryTimer_.expires_after(nextBackoff());
    retryTimer_.async_wait(guard([this](const boost::system::error_code& ec) {
        if (!ec) {
            connect();
        }
    }));
}

std::chrono::milliseconds BandLink::nextBackoff() {
    const unsigned exponent = std::min(attempt_, 6U);  // 2^6 s already exceeds the cap
    ++attempt_;
    std::uniform_real_distribution<double> jitter(kJitterLow, kJitterHigh);
    const double ms = static_cast<double>(kMinBackoff.count() << exponent) * jitter(random_);
    return std::clamp(std::chrono::milliseconds(static_cast<std::int64_t>(ms)), kMinBackoff,
                      kMaxBackoff);
}

void BandLink::armDeadline(std::chrono::seconds timeout, const char* reason) {
    deadlineTimer_.expires_after(timeout);
    deadlineTimer_.async_wait(guard([this, reason](const boost::system::error_code& ec) {
        if (!ec) {
            disconnectAndRetry(reason);  // ServicesResolved without objects (P4)
        }
    }));
}

void BandLink::setState(LinkState state) {
    if (state == state_) {
        return;
    }
    state_ = state;
    spdlog::info("ble: link state={}", toString(state));
    spdlog::debug("ble: link {} state={}", address_.str(), toString(state));
    if (sink_.state) {
        sink_.state(address_, state);
    }
}

void BandLink::callDevice(const char* method) {
    bus_.call(devicePath_, kDeviceInterface, method, kCallTimeout, ignoreReply);
}

}  // namespace wardgate::ble::detail
