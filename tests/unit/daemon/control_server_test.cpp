// The control socket answers every request, malformed or not, and keeps
// serving: a real Unix socket, a real io_context.

#include "daemon/control_server.hpp"

#include <cstring>
#include <filesystem>
#include <thread>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

namespace {

using nlohmann::json;

// A connected client socket, or -1.
int connectTo(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Sends raw bytes and returns the first answer line.
std::string roundTrip(const std::string& path, const std::string& bytes) {
    const int fd = connectTo(path);
    REQUIRE(fd >= 0);
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            break;  // checked through the answer below
        }
        sent += static_cast<std::size_t>(n);
    }
    std::string answer;
    char c = 0;
    while (::recv(fd, &c, 1, 0) == 1 && c != '\n') {
        answer.push_back(c);
    }
    ::close(fd);
    return answer;
}

}  // namespace

TEST_CASE("The control socket answers good, malformed and oversized requests alike",
          "[daemon][control]") {
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("wardgate-ctl-" + std::to_string(::getpid()) + ".sock"))
                                 .string();
    boost::asio::io_context io;
    unsigned peerUid = 12345;
    wardgate::daemon::ControlServer server(
        io, path, 0600,
        [&](const json& request, const wardgate::daemon::PeerCredentials& peer,
            const wardgate::daemon::ControlServer::Reply& reply) {
            peerUid = peer.uid;
            if (request["cmd"] == "boom") {
                throw std::runtime_error("handler failed");
            }
            reply({{"ok", true}, {"echo", request["cmd"]}});
            reply({{"ok", false}});  // a second answer is ignored
        });
    std::thread loop([&] { io.run(); });

    CHECK(json::parse(roundTrip(path, "{\"cmd\":\"ping\"}\n"))["echo"] == "ping");
    CHECK(peerUid == ::getuid());
    CHECK_THAT(roundTrip(path, "not json\n"), Catch::Contains("malformed request"));
    CHECK_THAT(roundTrip(path, "[1,2]\n"), Catch::Contains("malformed request"));
    CHECK_THAT(roundTrip(path, "{\"cmd\":7}\n"), Catch::Contains("malformed request"));
    CHECK_THAT(roundTrip(path, "{\"cmd\":\"boom\"}\n"), Catch::Contains("internal error"));
    CHECK_THAT(roundTrip(path, std::string(2U << 20U, 'x') + "\n{\"cmd\":\"after\"}\n"),
               Catch::Contains("too long"));
    CHECK(json::parse(roundTrip(path, "{\"cmd\":\"again\"}\n"))["ok"] == true);

    io.stop();
    loop.join();
}

TEST_CASE("Connections beyond the cap are refused with a message, and served again once freed",
          "[daemon][control]") {
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("wardgate-cap-" + std::to_string(::getpid()) + ".sock"))
                                 .string();
    boost::asio::io_context io;
    wardgate::daemon::ControlServer server(io, path, 0600,
                                           [](const json&, const wardgate::daemon::PeerCredentials&,
                                              const wardgate::daemon::ControlServer::Reply& reply) {
                                               reply({{"ok", true}});
                                           });
    std::thread loop([&] { io.run(); });

    std::vector<int> idle;
    for (int i = 0; i < 32; ++i) {
        if (const int fd = connectTo(path); fd >= 0) {
            idle.push_back(fd);
        }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const std::string refused = roundTrip(path, "{\"cmd\":\"ping\"}\n");
    for (const int fd : idle) {
        ::close(fd);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const std::string served = roundTrip(path, "{\"cmd\":\"ping\"}\n");

    io.stop();
    loop.join();
    CHECK(idle.size() == 32);
    CHECK_THAT(refused, Catch::Contains("too many open connections"));
    CHECK(json::parse(served)["ok"] == true);
}
