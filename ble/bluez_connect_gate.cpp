#include "ble/bluez_connect_gate.hpp"

#include <utility>

namespace wardgate::ble::detail {

void ConnectGate::request(std::function<bool()> start) {
    queue_.push_back(std::move(start));
    next();
}

void ConnectGate::release() {
    busy_ = false;
    next();
}

void ConnectGate::next() {
    while (!busy_ && !queue_.empty()) {
        auto start = std::move(queue_.front());
        queue_.pop_front();
        busy_ = start();
    }
}

}  // namespace wardgate::ble::detail
