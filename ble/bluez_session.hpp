#pragma once
// BluezSession: the gateway's whole conversation with BlueZ over D-Bus —
// discovery, just-works pairing, and keeping watched bands connected and
// subscribed. Everything BlueZ-specific (bus names, object paths, D-Bus
// errors) stays behind this header; callers deal in BandAddress and UUID-free
// Subscriptions.
//
// Threading: construct, call and destroy on the thread that runs `io`. The
// session adds no threads; its D-Bus connection is pumped by `io`, so nothing
// happens unless `io` runs. No member blocks on BlueZ except the constructor
// (one bounded GetManagedObjects, to fail fast). Callbacks (BluezEvents and
// the `done` continuations) are invoked later from `io`, never from inside the
// call that caused them, so they may call back into the session freely.
//
// Bad input: a malformed notification reaches BluezEvents::malformed and is
// dropped; a band BlueZ does not know makes pair() fail with a message and
// watch() wait for it to appear.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "ble/band_address.hpp"
#include "ble/bluez_types.hpp"

namespace wardgate::ble {

class BluezSession {
  public:
    using Done = std::function<void(std::optional<std::string> error)>;

    // Connects to the system bus (DBUS_SYSTEM_BUS_ADDRESS is honoured), loads
    // BlueZ's objects and registers a NoInputNoOutput pairing agent. Throws
    // std::runtime_error naming the bus address if the bus or BlueZ cannot be
    // reached.
    BluezSession(boost::asio::io_context& io, BluezEvents events);
    // Unwatches every band: StopNotify and Disconnect are sent, not awaited.
    ~BluezSession();

    BluezSession(const BluezSession&) = delete;
    BluezSession& operator=(const BluezSession&) = delete;

    // LE-only discovery filter, then StartDiscovery on the first adapter.
    // Discovery stays wanted until stopDiscovery(): if BlueZ restarts, it is
    // started again. Errors are logged, not thrown.
    void startDiscovery();
    void stopDiscovery();

    // Every device BlueZ knows about now (from the object mirror; no bus call).
    [[nodiscard]] std::vector<DiscoveredBand> discovered() const;

    // Just-works pairing, then Trusted=true. `done` gets nullopt on success or
    // a one-line error. Pairing a band that is already paired succeeds.
    void pair(const BandAddress& address, Done done);

    // Keep this band connected and subscribed as `subscriptions` says,
    // reconnecting after every drop. Watching a watched band again applies the
    // new subscriptions: a withdrawn signal is unrouted at once.
    void watch(const BandAddress& address, Subscriptions subscriptions);
    // StopNotify + Disconnect; the band is no longer kept connected.
    void unwatch(const BandAddress& address);
    // unwatch, then remove the device from BlueZ, which forgets its pairing
    // keys. Removing a band BlueZ does not know succeeds.
    void remove(const BandAddress& address, Done done);

    // nullopt for a band that is not watched.
    [[nodiscard]] std::optional<LinkState> linkState(const BandAddress& address) const;
    // Last level read or notified since the session started; nullopt if none.
    [[nodiscard]] std::optional<std::uint8_t> batteryPercent(const BandAddress& address) const;

  private:
    class Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace wardgate::ble
