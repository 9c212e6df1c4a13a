// wardgated's configuration: a TOML file (default /etc/wardgate/wardgate.toml,
// see systemd/wardgate.toml.example for every key) overridden by command-line
// options. Loading validates every key and throws ConfigError with a message
// that names the file, the line and what is allowed.
#pragma once

#include <filesystem>
#include <stdexcept>

#include "daemon/gateway.hpp"

namespace wardgate::daemon {

class ConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Reads `path` into `config`, leaving keys the file does not set unchanged.
void loadConfigFile(const std::filesystem::path& path, GatewayConfig& config);

}  // namespace wardgate::daemon
