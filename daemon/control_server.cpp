#include "daemon/control_server.hpp"

#include <memory>
#include <system_error>

#include <sys/socket.h>
#include <sys/stat.h>

#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include "daemon/control_protocol.hpp"

namespace wardgate::daemon {
namespace {

namespace asio = boost::asio;
using Socket = asio::local::stream_protocol::socket;

PeerCredentials peerOf(Socket& socket) {
    ucred cred{};
    socklen_t len = sizeof(cred);
    PeerCredentials peer;
    if (getsockopt(socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) {
        peer = {cred.uid, cred.gid, cred.pid};
    }
    return peer;
}

// A local user must not be able to starve the socket by opening connections
// and sending nothing: connections are capped, and one idle between
// requests for this long is closed.
constexpr std::size_t kMaxSessions = 32;
constexpr auto kIdleTimeout = std::chrono::seconds(60);

nlohmann::json errorAnswer(std::string message) {
    return {{"ok", false}, {"error", std::move(message)}};
}

// One client connection: reads a request, waits for its answer, writes it,
// reads the next. Keeps itself alive through the handlers it hands out.
class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(Socket socket, std::shared_ptr<const ControlServer::Handler> handler,
            std::shared_ptr<std::size_t> liveSessions)
        : socket_(std::move(socket))
        , idleTimer_(socket_.get_executor())
        , buffer_(control::kMaxRequestBytes)
        , handler_(std::move(handler))
        , peer_(peerOf(socket_))
        , liveSessions_(std::move(liveSessions)) {
        ++*liveSessions_;
    }
    ~Session() { --*liveSessions_; }
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    void readNext() {
        idleTimer_.expires_after(kIdleTimeout);
        idleTimer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
            if (auto self = weak.lock(); self && !ec) {
                boost::system::error_code ignored;
                self->socket_.close(ignored);
            }
        });
        asio::async_read_until(
            socket_, buffer_, '\n',
            [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                self->idleTimer_.cancel();
                self->onLine(ec, n);
            });
    }

  private:
    void onLine(boost::system::error_code ec, std::size_t n) {
        if (ec == asio::error::not_found) {
            // Too long: answer once, then skip the rest of the line so the
            // connection stays usable for the next request.
            buffer_.consume(buffer_.size());
            if (!discarding_) {
                discarding_ = true;
                send(errorAnswer("request too long (limit 1 MiB)"));
            } else {
                readNext();
            }
            return;
        }
        if (ec) {
            return;  // client went away
        }
        std::string line(asio::buffers_begin(buffer_.data()),
                         asio::buffers_begin(buffer_.data()) + static_cast<std::ptrdiff_t>(n));
        buffer_.consume(n);
        if (discarding_) {
            discarding_ = false;
            readNext();
            return;
        }
        dispatch(line);
    }

    void dispatch(const std::string& line) {
        nlohmann::json request = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (request.is_discarded() || !request.is_object() || !request.contains("cmd") ||
            !request["cmd"].is_string()) {
            send(errorAnswer("malformed request: expected one JSON object with a string \"cmd\""));
            return;
        }
        auto answered = std::make_shared<bool>(false);
        auto reply = [self = shared_from_this(), answered](nlohmann::json answer) {
            if (!*answered) {
                *answered = true;
                self->send(std::move(answer));
            }
        };
        try {
            (*handler_)(request, peer_, reply);
        } catch (const nlohmann::json::exception& e) {
            spdlog::debug("control: malformed field: {}", e.what());
            reply(errorAnswer(request["cmd"].get<std::string>() +
                              ": a field of the request is missing or has the wrong type"));
        } catch (const std::exception& e) {
            spdlog::error("control: request failed: {}", e.what());
            reply(errorAnswer(std::string("internal error: ") + e.what()));
        }
    }

    void send(const nlohmann::json& answer) {
        auto text = std::make_shared<std::string>(
            answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        text->push_back('\n');
        asio::async_write(
            socket_, asio::buffer(*text),
            [self = shared_from_this(), text](boost::system::error_code ec, std::size_t) {
                if (!ec) {
                    self->readNext();
                }
            });
    }

    Socket socket_;
    asio::steady_timer idleTimer_;
    asio::streambuf buffer_;
    std::shared_ptr<const ControlServer::Handler> handler_;
    PeerCredentials peer_;
    bool discarding_ = false;
    std::shared_ptr<std::size_t> liveSessions_;
};

// Refuses a connection beyond the cap with one line, without blocking.
void refuse(Socket& socket) {
    boost::system::error_code ignored;
    socket.non_blocking(true, ignored);
    const std::string line =
        errorAnswer("too many open connections to wardgated; try again shortly").dump() + "\n";
    asio::write(socket, asio::buffer(line), ignored);
}

}  // namespace

ControlServer::ControlServer(asio::io_context& io, std::filesystem::path path, unsigned mode,
                             Handler handler)
    : acceptor_(io)
    , retryTimer_(io)
    , liveSessions_(std::make_shared<std::size_t>(0))
    , path_(std::move(path))
    , handler_(std::make_shared<const Handler>(std::move(handler))) {
    // A socket file left by a crashed daemon would make bind() fail and is
    // replaced; one that still answers belongs to a running daemon, which
    // must not be cut off from its clients.
    const asio::local::stream_protocol::endpoint endpoint(path_.string());
    std::error_code ignored;
    if (std::filesystem::is_socket(path_, ignored)) {
        Socket probe(io);
        boost::system::error_code probeError;
        probe.connect(endpoint, probeError);
        if (!probeError) {
            throw std::runtime_error("control socket " + path_.string() +
                                     " is in use by another running wardgated");
        }
        std::filesystem::remove(path_, ignored);
    }
    boost::system::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) {
        acceptor_.bind(endpoint, ec);
    }
    if (!ec) {
        acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        throw std::runtime_error("control socket " + path_.string() + ": " + ec.message());
    }
    if (::chmod(path_.c_str(), static_cast<mode_t>(mode)) != 0) {
        throw std::system_error(errno, std::generic_category(),
                                "control socket " + path_.string() + ": chmod");
    }
    accept();
}

ControlServer::~ControlServer() {
    boost::system::error_code closeError;
    acceptor_.close(closeError);
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
}

void ControlServer::accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, Socket socket) {
        if (ec == asio::error::operation_aborted) {
            return;
        }
        if (ec) {
            // Out of descriptors (or similar): retrying at once would spin.
            spdlog::warn("control: accept failed: {}; pausing", ec.message());
            retryTimer_.expires_after(std::chrono::milliseconds(200));
            retryTimer_.async_wait([this](boost::system::error_code waitError) {
                if (!waitError) {
                    accept();
                }
            });
            return;
        }
        if (*liveSessions_ >= kMaxSessions) {
            refuse(socket);
        } else {
            std::make_shared<Session>(std::move(socket), handler_, liveSessions_)->readNext();
        }
        accept();
    });
}

}  // namespace wardgate::daemon
