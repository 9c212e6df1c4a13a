// DbusAsio on a real (private) dbus-daemon: a service and a client, both
// pumped by one io_context on this thread, talk with async calls and signals.

#include "ble/dbus_asio.hpp"

#include "private_bus.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <sdbus-c++/sdbus-c++.h>

namespace {

using namespace std::chrono_literals;

constexpr const char* kName = "org.wardgate.PumpTest";
constexpr const char* kPath = "/org/wardgate/PumpTest";
constexpr const char* kInterface = "org.wardgate.PumpTest1";

bool pumpUntil(boost::asio::io_context& io, const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        io.restart();
        io.run_for(10ms);
    }
    return done();
}

}  // namespace

TEST_CASE("DbusAsio delivers async replies and signals on the io_context thread without blocking",
          "[integration][ble]") {
    wardgate::test::PrivateBus bus;
    boost::asio::io_context io;

    auto serviceConnection = sdbus::createSessionBusConnectionWithAddress(bus.address());
    serviceConnection->requestName(kName);
    auto object = sdbus::createObject(*serviceConnection, kPath);
    object->registerMethod("Double").onInterface(kInterface).implementedAs([](std::int32_t x) {
        return 2 * x;
    });
    object->registerSignal("Tick").onInterface(kInterface).withParameters<std::int32_t>();
    object->finishRegistration();
    wardgate::ble::DbusAsio servicePump(io, *serviceConnection);

    auto clientConnection = sdbus::createSessionBusConnectionWithAddress(bus.address());
    auto proxy = sdbus::createProxy(*clientConnection, kName, kPath);
    int ticks = 0;
    proxy->uponSignal("Tick").onInterface(kInterface).call([&](std::int32_t) { ++ticks; });
    proxy->finishRegistration();
    wardgate::ble::DbusAsio clientPump(io, *clientConnection);

    constexpr int kCalls = 100;  // below dbus-daemon's default limit of pending replies (128)
    int replies = 0;
    int sum = 0;
    for (int i = 0; i < kCalls; ++i) {
        proxy->callMethodAsync("Double")
            .onInterface(kInterface)
            .withArguments(i)
            .uponReplyInvoke([&](const sdbus::Error* error, std::int32_t doubled) {
                INFO((error ? error->getName() + ": " + error->getMessage() : std::string()));
                CHECK(error == nullptr);
                ++replies;
                sum += doubled;
            });
    }
    clientPump.wake();
    REQUIRE(pumpUntil(io, [&] { return replies == kCalls; }));
    CHECK(sum == kCalls * (kCalls - 1));

    for (int i = 0; i < 50; ++i) {
        object->emitSignal("Tick").onInterface(kInterface).withArguments(i);
    }
    servicePump.wake();
    REQUIRE(pumpUntil(io, [&] { return ticks == 50; }));
    CHECK(servicePump.healthy());
    CHECK(clientPump.healthy());
}
