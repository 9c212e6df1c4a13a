// Registers `wardgate analyze` (offline analysis of recordings) on the wardgate CLI.
#pragma once

#include <CLI/CLI.hpp>

namespace wardgate::analyze {

/// Adds `analyze` with the subcommand `hrv`:
///   wardgate analyze hrv FILE|- [--window S --hop S | --whole] [--profile reference|taskforce]
///                          [--correct none|lipponen] [--format json|csv] [--features LIST]
/// Output goes to stdout. A refused input or option prints one line on stderr and ends the
/// program with exit status 2 (thrown as CLI::RuntimeError, which main() turns into the code).
void addAnalyzeCommand(CLI::App& app);

}  // namespace wardgate::analyze
