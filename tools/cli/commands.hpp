// The wardgate CLI's subcommands. Each add* function registers one command
// (with its options and --help) on the app; the command runs through the
// callback CLI11 calls after parsing. Failures the user can act on are
// thrown as CliError and printed by main() as one line.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace wardgate::cli {

struct GlobalOptions {
    std::string socket;
    bool json = false;
};

void addScanCommand(CLI::App& app, const GlobalOptions& global);
void addPairCommand(CLI::App& app, const GlobalOptions& global);
void addStatusCommand(CLI::App& app, const GlobalOptions& global);
void addMeCommand(CLI::App& app, const GlobalOptions& global);
void addWithdrawCommand(CLI::App& app, const GlobalOptions& global);

}  // namespace wardgate::cli
