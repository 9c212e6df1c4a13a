#include "ble/dbus_asio.hpp"

#include <chrono>
#include <exception>

#include <poll.h>

#include <boost/asio/post.hpp>
#include <sdbus-c++/Error.h>
#include <sdbus-c++/IConnection.h>
#include <spdlog/spdlog.h>

namespace wardgate::ble {

namespace {

namespace asio = boost::asio;
using Wait = asio::posix::stream_descriptor::wait_type;

// Messages handled per pump turn before yielding to other io_context work, so
// a burst of notifications cannot starve timers and the control socket.
constexpr int kMaxMessagesPerTurn = 64;

// sd-bus wants POLLOUT only when its socket buffer was full. asio's epoll
// reactor is edge-triggered, so a writable edge that came before the wait was
// armed would be missed; poll again soon instead of trusting the edge.
constexpr auto kWriteRetry = std::chrono::milliseconds(10);

}  // namespace

DbusAsio::DbusAsio(asio::io_context& io, sdbus::IConnection& connection)
    : io_(io)
    , connection_(connection)
    , descriptor_(io)
    , timer_(io)
    , self_(std::make_shared<DbusAsio*>(this)) {
    descriptor_.assign(connection_.getEventLoopPollData().fd);
    wake();
}

DbusAsio::~DbusAsio() {
    boost::system::error_code ignored;
    timer_.cancel();
    descriptor_.cancel(ignored);
    // The fd is sd-bus's; hand it back instead of closing it.
    (void)descriptor_.release();
}

void DbusAsio::wake() {
    if (wakePosted_ || !healthy_) {
        return;
    }
    wakePosted_ = true;
    asio::post(io_, [weak = std::weak_ptr<DbusAsio*>(self_)] {
        if (auto self = weak.lock()) {
            (*self)->wakePosted_ = false;
            (*self)->processAndRearm();
        }
    });
}

void DbusAsio::processAndRearm() {
    ++generation_;  // whatever is still armed is now stale
    try {
        int handled = 0;
        while (connection_.processPendingRequest()) {
            if (++handled == kMaxMessagesPerTurn) {
                wake();  // more may be queued; continue after other work
                return;
            }
        }
        arm();
    } catch (const std::exception& e) {
        // sd-bus fails like this only when the connection itself is gone.
        healthy_ = false;
        spdlog::error("ble: D-Bus connection failed, event pump stopped: {}", e.what());
    }
}

void DbusAsio::onReady(const boost::system::error_code& ec) {
    if (ec == asio::error::operation_aborted) {
        return;
    }
    if (ec) {
        healthy_ = false;
        spdlog::error("ble: waiting on the D-Bus socket failed, event pump stopped: {}",
                      ec.message());
        return;
    }
    processAndRearm();
}

void DbusAsio::arm() {
    boost::system::error_code ignored;
    descriptor_.cancel(ignored);  // at most one wait of each kind is ever pending
    const auto poll = connection_.getEventLoopPollData();
    armFd(Wait::wait_read, poll.events, POLLIN);
    armFd(Wait::wait_write, poll.events, POLLOUT);

    auto timeout = poll.getRelativeTimeout();
    if ((poll.events & POLLOUT) != 0 && (!timeout || *timeout > kWriteRetry)) {
        timeout = std::chrono::duration_cast<std::chrono::microseconds>(kWriteRetry);
    }
    timer_.cancel();
    if (!timeout) {
        return;
    }
    timer_.expires_after(*timeout);
    timer_.async_wait([weak = std::weak_ptr<DbusAsio*>(self_),
                       generation = generation_](const boost::system::error_code& ec) {
        auto self = weak.lock();
        if (self && (*self)->generation_ == generation) {
            (*self)->onReady(ec);
        }
    });
}

void DbusAsio::armFd(Wait type, short pollEvents, short wanted) {
    if ((pollEvents & wanted) == 0) {
        return;
    }
    descriptor_.async_wait(type, [weak = std::weak_ptr<DbusAsio*>(self_),
                                  generation = generation_](const boost::system::error_code& ec) {
        auto self = weak.lock();
        if (self && (*self)->generation_ == generation) {
            (*self)->onReady(ec);
        }
    });
}

}  // namespace wardgate::ble
