// Reading a worker's passphrase: from the terminal without echo, or from a
// file for scripts (the demo, tests). Never from the command line, where
// other users could read it in the process list.
#pragma once

#include <optional>
#include <string>

namespace wardgate::cli {

// Prompts on the controlling terminal with echo off. Throws CliError when
// there is no terminal to ask on.
[[nodiscard]] std::string promptPassphrase(const std::string& prompt);

// The first line of `path`, without its newline. Throws CliError naming the
// file when it cannot be read or is empty.
[[nodiscard]] std::string readPassphraseFile(const std::string& path);

// --passphrase-file if given, else $WARDGATE_PASSPHRASE_FILE, else a prompt.
[[nodiscard]] std::string obtainPassphrase(const std::string& fileOption,
                                           const std::string& prompt);

// Why a new passphrase is too weak to protect a key, or nullopt when it is
// acceptable.
[[nodiscard]] std::optional<std::string> weakPassphraseReason(const std::string& passphrase);

}  // namespace wardgate::cli
