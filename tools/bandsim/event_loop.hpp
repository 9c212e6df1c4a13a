#pragma once
// The simulator's only loop: one thread polls the sd-bus connection, a
// signalfd for SIGINT/SIGTERM and the next timer deadline, and runs every
// D-Bus callback and every replay step itself. With a single thread there is
// no shared state to lock and sd-bus is never entered concurrently.

#include <functional>
#include <optional>

#include <sdbus-c++/sdbus-c++.h>

#include "tools/bandsim/bluez_names.hpp"

namespace wardgate::bandsim {

class EventLoop {
  public:
    // Blocks SIGINT and SIGTERM for the calling thread (call before any other
    // thread exists) and receives them through a signalfd instead.
    // Throws std::system_error when the signalfd cannot be created.
    explicit EventLoop(sdbus::IConnection& bus);
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;
    EventLoop(EventLoop&&) = delete;
    EventLoop& operator=(EventLoop&&) = delete;

    // Called after every round of D-Bus processing; does the due work and
    // returns the time it wants to be called again at the latest.
    using WakeHandler = std::function<bluez::Clock::time_point(bluez::Clock::time_point now)>;

    // Runs until SIGINT or SIGTERM arrives or `until` passes.
    void run(const WakeHandler& onWake, std::optional<bluez::Clock::time_point> until);

  private:
    [[nodiscard]] bool waitFor(bluez::Clock::time_point deadline);

    sdbus::IConnection& bus_;
    int signalFd_ = -1;
};

}  // namespace wardgate::bandsim
