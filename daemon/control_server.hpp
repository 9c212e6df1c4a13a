// The daemon's end of the control socket (see daemon/control_protocol.hpp).
//
// Accepts connections on a Unix stream socket, reads one JSON request per
// line, learns the caller's uid/gid/pid from SO_PEERCRED and passes each
// request to a handler together with a reply callback, which may be called
// later (a scan answers after seconds). Malformed or oversized requests get
// an error answer; nothing a client sends can stop the server.
//
// Everything runs on the io_context's thread.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

namespace wardgate::daemon {

struct PeerCredentials {
    uid_t uid = 0;
    gid_t gid = 0;
    pid_t pid = 0;
};

class ControlServer {
  public:
    // Answer exactly once per request; later calls are ignored.
    using Reply = std::function<void(nlohmann::json)>;
    using Handler = std::function<void(const nlohmann::json& request, const PeerCredentials& peer,
                                       Reply reply)>;

    // Binds the socket (replacing a stale socket file left by a crash) with
    // the given permission bits. Throws std::runtime_error naming the path
    // when it cannot, or when another daemon still answers on it.
    ControlServer(boost::asio::io_context& io, std::filesystem::path path, unsigned mode,
                  Handler handler);
    ~ControlServer();
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

  private:
    void accept();

    boost::asio::local::stream_protocol::acceptor acceptor_;
    boost::asio::steady_timer retryTimer_;
    std::shared_ptr<std::size_t> liveSessions_;
    std::filesystem::path path_;
    // Shared with the sessions, which may outlive a request's handler call.
    std::shared_ptr<const Handler> handler_;
};

}  // namespace wardgate::daemon
