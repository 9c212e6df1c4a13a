#pragma once
// Drives an sdbus::IConnection from a boost::asio::io_context, with no extra
// thread: every sdbus-c++ callback (signals, async replies, exported methods)
// then runs on the io_context's thread, inside run()/poll().
//
// How: sd-bus reports one fd, the poll events it wants and an absolute
// CLOCK_MONOTONIC deadline (IConnection::getEventLoopPollData). The pump waits
// for that fd with a non-owning posix::stream_descriptor and for the deadline
// with a steady_timer; whichever fires first makes it call
// processPendingRequest() until sd-bus has nothing left, then it re-arms.
//
// Threading: construct, call wake() and destroy on the io_context's thread.
// Lifetime: the connection must outlive this object; the destructor releases
// the fd without closing it (it belongs to sd-bus).

#include <cstdint>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

namespace sdbus {
class IConnection;
}

namespace wardgate::ble {

class DbusAsio {
  public:
    DbusAsio(boost::asio::io_context& io, sdbus::IConnection& connection);
    ~DbusAsio();

    DbusAsio(const DbusAsio&) = delete;
    DbusAsio& operator=(const DbusAsio&) = delete;

    // Call after doing anything on the connection outside a pump callback
    // (sending a message, adding a match, a synchronous call): sd-bus may now
    // want to write, have a new deadline, or hold already-read messages in its
    // queue that the fd will never announce. Cheap; coalesced.
    void wake();

    // False once the connection failed (the bus went away); the pump then stops.
    [[nodiscard]] bool healthy() const noexcept { return healthy_; }

  private:
    void processAndRearm();
    void onReady(const boost::system::error_code& ec);
    void arm();
    void armFd(boost::asio::posix::stream_descriptor::wait_type type, short pollEvents,
               short wanted);

    boost::asio::io_context& io_;
    sdbus::IConnection& connection_;
    boost::asio::posix::stream_descriptor descriptor_;
    boost::asio::steady_timer timer_;
    std::uint64_t generation_ = 0;  // completions from an older arm() are stale
    bool wakePosted_ = false;
    bool healthy_ = true;
    std::shared_ptr<DbusAsio*> self_;  // handlers hold a weak_ptr: no use after destruction
};

}  // namespace wardgate::ble
