// The CLI's end of the control socket: one connection, one JSON request per
// line, one answer per request (see daemon/control_protocol.hpp).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace wardgate::cli {

// A failure the user can act on; its message is printed as it is.
class CliError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class ControlClient {
  public:
    // Connects; throws CliError naming the socket and the likely cause.
    explicit ControlClient(const std::filesystem::path& socketPath);
    ~ControlClient();
    ControlClient(const ControlClient&) = delete;
    ControlClient& operator=(const ControlClient&) = delete;

    // Sends one request and returns the answer's object. An {"ok": false}
    // answer becomes a CliError carrying the daemon's message.
    nlohmann::json call(const nlohmann::json& request);

  private:
    int fd_ = -1;
    std::filesystem::path path_;
    std::string buffer_;
};

// The socket to use: --socket, else $WARDGATE_SOCKET, else the default.
[[nodiscard]] std::filesystem::path resolveSocketPath(const std::string& option);

}  // namespace wardgate::cli
