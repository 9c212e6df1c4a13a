#include "tools/bandsim/event_loop.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <system_error>

#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace wardgate::bandsim {

namespace {

sigset_t stopSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

timespec toTimespec(bluez::Clock::duration d) {
    const auto ns =
        std::max<long long>(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count(), 0);
    constexpr long long kNsPerS = 1'000'000'000;
    return timespec{static_cast<time_t>(ns / kNsPerS), static_cast<long>(ns % kNsPerS)};
}

}  // namespace

EventLoop::EventLoop(sdbus::IConnection& bus) : bus_(bus) {
    const sigset_t set = stopSignals();
    if (const int err = pthread_sigmask(SIG_BLOCK, &set, nullptr); err != 0) {
        throw std::system_error(err, std::generic_category(), "pthread_sigmask");
    }
    signalFd_ = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signalFd_ < 0) {
        throw std::system_error(errno, std::generic_category(), "signalfd");
    }
}

EventLoop::~EventLoop() {
    ::close(signalFd_);
}

void EventLoop::run(const WakeHandler& onWake, std::optional<bluez::Clock::time_point> until) {
    for (;;) {
        while (bus_.processPendingRequest()) {
        }
        const auto now = bluez::Clock::now();
        if (until && now >= *until) {
            return;
        }
        auto deadline = onWake(now);
        if (until) {
            deadline = std::min(deadline, *until);
        }
        if (waitFor(deadline)) {
            return;
        }
    }
}

// Returns true when a stop signal arrived.
bool EventLoop::waitFor(bluez::Clock::time_point deadline) {
    const auto poll = bus_.getEventLoopPollData();
    auto wait = deadline - bluez::Clock::now();
    if (const auto busTimeout = poll.getRelativeTimeout()) {
        wait = std::min<bluez::Clock::duration>(wait, *busTimeout);
    }
    const timespec timeout = toTimespec(wait);

    std::array<pollfd, 2> fds{pollfd{poll.fd, poll.events, 0}, pollfd{signalFd_, POLLIN, 0}};
    const int n = ::ppoll(fds.data(), fds.size(), &timeout, nullptr);
    if (n < 0 && errno != EINTR) {
        throw std::system_error(errno, std::generic_category(), "ppoll");
    }
    if (n > 0 && (fds[1].revents & POLLIN) != 0) {
        signalfd_siginfo info{};
        return ::read(signalFd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info);
    }
    return false;
}

}  // namespace wardgate::bandsim
