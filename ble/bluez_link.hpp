#pragma once
// One watched band's link: the state machine of BLE.md §5.2.
//
//   Disconnected -> Connecting (Device1.Connect)
//                -> Resolving  (ServicesResolved=true AND every needed characteristic
//                               present in the object mirror: pitfall P4)
//                -> Subscribing (route installed, then StartNotify: P1)
//                -> Streaming
//
// Any drop (Connected=false, ServicesResolved=false, the device or a
// subscribed characteristic removed, BlueZ leaving the bus), failure or
// timeout goes back to Disconnected and retries after a jittered exponential
// back-off of 1 s .. 60 s; the back-off restarts only after a link that
// streamed for a while (a flapping band stays slow: P5). Every connection
// subscribes afresh (P1c). Characteristics are found by UUID on each
// connection, never remembered by path (P6).
//
// Internal to ble/. Threading: the io_context's thread only. User callbacks
// are handed to `deliver`, never called from inside this class.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "ble/band_address.hpp"
#include "ble/bluez_connect_gate.hpp"
#include "ble/bluez_types.hpp"

namespace wardgate::ble::detail {

class BluezBus;
struct CallError;

enum class Channel : std::uint8_t { HeartRate, Eda, Battery };

// Where the link sends what it receives and its state changes.
struct LinkSink {
    std::function<void(const BandAddress&, LinkState)> state;
    std::function<void(const BandAddress&, Channel, const std::vector<std::uint8_t>&,
                       std::chrono::steady_clock::time_point)>
        value;
};

class BandLink {
  public:
    BandLink(boost::asio::io_context& io, BluezBus& bus, ConnectGate& gate, LinkSink sink,
             BandAddress address, Subscriptions subscriptions);
    ~BandLink();

    BandLink(const BandLink&) = delete;
    BandLink& operator=(const BandLink&) = delete;

    void start();
    // StopNotify on everything subscribed, then Disconnect; no more retries.
    void stop();
    // New consent: unwanted characteristics are unrouted at once and
    // StopNotify'd; newly wanted ones are subscribed on the live connection.
    void update(Subscriptions subscriptions);

    // Re-examine the mirror after any change (cheap; called often).
    void evaluate();
    void onServiceLost();
    // True if `path` is one of this link's subscribed characteristics.
    bool route(const std::string& path, const std::vector<std::uint8_t>& value,
               std::chrono::steady_clock::time_point arrival);

    [[nodiscard]] LinkState state() const noexcept { return state_; }
    [[nodiscard]] const Subscriptions& subscriptions() const noexcept { return subscriptions_; }

  private:
    void connect();
    void sendConnect();
    void onConnectReply(const CallError* error);
    void onConnected();
    void evaluateConnected();
    [[nodiscard]] bool requiredPresent() const;
    [[nodiscard]] bool missingRoute() const;
    void subscribe();
    void startNotify(const std::string& path, Channel channel);
    void readBattery(const std::string& path);
    void onStartNotifyReply(Channel channel, const CallError* error);
    void enterStreaming();
    void disconnectAndRetry(const char* reason);
    void drop(const char* reason);
    void retryLater();
    [[nodiscard]] std::chrono::milliseconds nextBackoff();
    void armDeadline(std::chrono::seconds timeout, const char* reason);
    void setState(LinkState state);
    void callDevice(const char* method);

    // Wraps a continuation so it runs only while this link and this
    // connection attempt are still current.
    template <typename Fn>
    auto guard(Fn fn);

    BluezBus& bus_;
    ConnectGate& gate_;
    LinkSink sink_;
    BandAddress address_;
    Subscriptions subscriptions_;
    LinkState state_ = LinkState::Disconnected;
    std::string devicePath_;
    std::map<std::string, Channel> routes_;
    int pendingStarts_ = 0;
    bool requiredFailed_ = false;
    bool sawConnected_ = false;
    bool waitingForDevice_ = false;
    bool stopped_ = false;
    unsigned attempt_ = 0;
    std::uint64_t epoch_ = 0;
    std::chrono::steady_clock::time_point streamingSince_{};
    boost::asio::steady_timer retryTimer_;
    boost::asio::steady_timer deadlineTimer_;
    std::minstd_rand random_;
    std::shared_ptr<BandLink*> self_;
};

}  // namespace wardgate::ble::detail
