#include "tools/cli/control_client.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon/control_protocol.hpp"

namespace wardgate::cli {

std::filesystem::path resolveSocketPath(const std::string& option) {
    if (!option.empty()) {
        return option;
    }
    if (const char* env = std::getenv(std::string(control::kSocketEnvironment).c_str())) {
        return env;
    }
    return std::string(control::kDefaultSocketPath);
}

ControlClient::ControlClient(const std::filesystem::path& socketPath) : path_(socketPath) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string text = socketPath.string();
    if (text.size() >= sizeof(address.sun_path)) {
        throw CliError("socket path too long: " + text);
    }
    std::memcpy(address.sun_path, text.c_str(), text.size() + 1);

    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0 ||
        ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        const int error = errno;
        throw CliError("cannot reach wardgated at " + text + ": " + std::strerror(error) +
                       (error == ENOENT || error == ECONNREFUSED
                            ? " (is the wardgated service running?)"
                            : ""));
    }
}

ControlClient::~ControlClient() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

nlohmann::json ControlClient::call(const nlohmann::json& request) {
    std::string line = request.dump() + "\n";
    for (std::size_t sent = 0; sent < line.size();) {
        const ssize_t n = ::send(fd_, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            throw CliError("lost the connection to wardgated at " + path_.string());
        }
        sent += static_cast<std::size_t>(n);
    }

    std::size_t newline;
    while ((newline = buffer_.find('\n')) == std::string::npos) {
        char chunk[65536];
        const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            throw CliError("wardgated closed the connection without answering");
        }
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
    const std::string answerText = buffer_.substr(0, newline);
    buffer_.erase(0, newline + 1);

    auto answer = nlohmann::json::parse(answerText, nullptr, false);
    if (answer.is_discarded() || !answer.is_object()) {
        throw CliError("wardgated sent an answer this CLI cannot read (version mismatch?)");
    }
    if (!answer.value("ok", false)) {
        throw CliError(answer.value("error", std::string("wardgated refused the request")));
    }
    return answer;
}

}  // namespace wardgate::cli
