#pragma once
// Internal to ble/. Threading: the io_context's thread only.

#include <deque>
#include <functional>

namespace wardgate::ble::detail {

// Lets one Device1.Connect be in flight at a time: parallel connects to one
// controller end in org.bluez.Error.InProgress and stale BlueZ state (P2, P8).
class ConnectGate {
  public:
    // `start` runs now if the gate is free, else after the current holder
    // releases it; it returns false if its requester is gone (the gate then
    // moves on), true if it now holds the gate and will release() it.
    void request(std::function<bool()> start);
    void release();

  private:
    void next();

    std::deque<std::function<bool()>> queue_;
    bool busy_ = false;
};

}  // namespace wardgate::ble::detail
