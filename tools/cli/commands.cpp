// scan, pair and status: the commands that need no key of the caller's own
// beyond the one pairing creates.

#include "tools/cli/commands.hpp"

#include <iostream>
#include <regex>

#include <unistd.h>

#include <fmt/format.h>

#include "daemon/control_protocol.hpp"
#include "storage/crypto.hpp"
#include "storage/ids.hpp"
#include "tools/cli/control_client.hpp"
#include "tools/cli/passphrase.hpp"

namespace wardgate::cli {
namespace {

using nlohmann::json;

constexpr const char* kConsentText = R"(What wardgate collects, and who can read it
  * From your band: the signals you choose below (hrv = heart-rate
    variability from beat-to-beat intervals, eda = skin conductance).
    Raw samples are turned into features on this gateway and not kept.
  * Your features are sealed with a key that only you hold (protected by
    your passphrase). Ward IT, managers and administrators cannot read them,
    not even with full access to this gateway.
  * Only anonymous ward-level summaries over at least 5 people ever leave
    the gateway. Nobody is ranked, diagnosed or reported on.
  * Your features stay on this gateway until you withdraw.
  * You can withdraw at any time with `wardgate withdraw`: your band is
    unpaired and everything stored about you is destroyed.
  * These numbers complement your own sense of how you are; they never
    replace it.
)";

bool askYesNo(const std::string& question) {
    std::cout << question << " [y/N] " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer)) {
        return false;
    }
    return answer == "y" || answer == "Y" || answer == "yes";
}

std::string chooseSignals() {
    if (::isatty(STDIN_FILENO) == 0) {
        throw CliError("no terminal to ask what to share on; pass --signals hrv,eda");
    }
    std::string signals;
    if (askYesNo("Share heart-rate variability (hrv)?")) {
        signals = "hrv";
    }
    if (askYesNo("Share skin conductance (eda)?")) {
        signals += signals.empty() ? "eda" : ",eda";
    }
    if (signals.empty()) {
        throw CliError("nothing chosen to share; nothing was enrolled");
    }
    return signals;
}

std::string newPassphrase(const std::string& file) {
    const bool fromFile = !file.empty() || std::getenv("WARDGATE_PASSPHRASE_FILE") != nullptr;
    const std::string passphrase =
        obtainPassphrase(file, "Choose a passphrase that protects your features: ");
    if (const auto weak = weakPassphraseReason(passphrase)) {
        throw CliError("passphrase too weak: " + *weak);
    }
    if (!fromFile && promptPassphrase("Type it again: ") != passphrase) {
        throw CliError("the two passphrases differ; nothing was enrolled");
    }
    return passphrase;
}

void printBands(const json& bands) {
    if (bands.empty()) {
        std::cout << "No bands found. Wake your band (tap it or put it on) and scan again.\n";
        return;
    }
    std::cout << fmt::format("{:<19} {:<24} {:>6}  {}\n", "ADDRESS", "NAME", "SIGNAL", "STATE");
    for (const auto& band : bands) {
        const std::string rssi =
            band["rssi"].is_null() ? "-" : fmt::format("{} dBm", band["rssi"].get<int>());
        const std::string state = band.value("enrolled", false) ? "enrolled"
                                  : band.value("paired", false) ? "paired"
                                                                : "available";
        std::cout << fmt::format("{:<19} {:<24} {:>6}  {}\n", band["address"].get<std::string>(),
                                 band["name"].get<std::string>(), rssi, state);
    }
}

}  // namespace

void addScanCommand(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("scan", "List the bands near this gateway");
    auto seconds = std::make_shared<int>(5);
    cmd->add_option("-t,--seconds", *seconds, "How long to listen (1-30)")
        ->check(CLI::Range(1, 30));
    cmd->callback([&global, seconds] {
        ControlClient client(resolveSocketPath(global.socket));
        const json answer = client.call({{"cmd", "scan"}, {"seconds", *seconds}});
        if (global.json) {
            std::cout << answer["bands"].dump() << "\n";
        } else {
            printBands(answer["bands"]);
        }
    });
}

void addPairCommand(CLI::App& app, const GlobalOptions& global) {
    struct Options {
        std::string address;
        std::string signals;
        std::string passphraseFile;
        bool yes = false;
    };
    auto options = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("pair", "Pair your band and choose what it shares");
    cmd->add_option("address", options->address, "Your band's address (see `wardgate scan`)")
        ->required();
    cmd->add_option("--signals", options->signals, "What to share: hrv, eda or hrv,eda");
    cmd->add_option("--passphrase-file", options->passphraseFile,
                    "Read the new passphrase from this file (for scripts)");
    cmd->add_flag("--yes", options->yes, "Agree to the consent text without being asked");
    cmd->callback([&global, options] {
        // Say what is wrong with the address before asking for anything.
        static const std::regex kAddressForm("^([0-9A-Fa-f]{2}[:_]){5}[0-9A-Fa-f]{2}$");
        if (!std::regex_match(options->address, kAddressForm)) {
            throw CliError("\"" + options->address +
                           "\" is not a band address; it looks like AA:BB:CC:DD:EE:FF (see "
                           "`wardgate scan`)");
        }
        std::cout << kConsentText << "\n";
        if (!options->yes && !askYesNo("Do you agree to take part on these terms?")) {
            throw CliError("consent not given; nothing was enrolled");
        }
        const std::string signals = options->signals.empty() ? chooseSignals() : options->signals;
        if (!storage::SignalSet::parse(signals)) {
            throw CliError("--signals: \"" + signals + "\" is not a list of hrv, eda");
        }
        const std::string passphrase = newPassphrase(options->passphraseFile);

        const storage::KeyPair keys = storage::generateKeyPair();
        json request{{"cmd", "pair"},
                     {"address", options->address},
                     {"signals", signals},
                     {"public_key", keys.publicKey},
                     {"wrapped_key", storage::wrapSecretKey(keys.secretKey, passphrase)},
                     {"consent_version", std::string(control::kConsentVersion)}};
        ControlClient client(resolveSocketPath(global.socket));
        const json answer = client.call(request);
        if (global.json) {
            std::cout << json{{"participant", answer["participant"]}}.dump() << "\n";
            return;
        }
        std::cout << "Enrolled. Your band now shares: " << signals << "\n"
                  << "Your participant code: " << answer["participant"].get<std::string>()
                  << "\nRead your features any time with `wardgate me --band " << options->address
                  << "`.\nKeep your passphrase safe: nobody else can "
                  << "open your features, so nobody can recover it for you.\n";
    });
}

void addStatusCommand(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("status", "Show bands, vault and gateway health");
    cmd->callback([&global] {
        ControlClient client(resolveSocketPath(global.socket));
        const json answer = client.call({{"cmd", "status"}});
        if (global.json) {
            std::cout << answer.dump() << "\n";
            return;
        }
        const auto& vault = answer["vault"];
        std::cout << fmt::format("vault: {} participant(s), {} sealed row(s), {:.1f} MiB\n",
                                 vault["participants"].get<std::uint64_t>(),
                                 vault["rows"].get<std::uint64_t>(),
                                 vault["bytes"].get<double>() / (1024.0 * 1024.0));
        for (const auto& d : answer["degraded"]) {
            std::cout << "DEGRADED: " << d.get<std::string>() << "\n";
        }
        std::cout << fmt::format("{:<10} {:<12} {:>7} {:>10} {:>8} {:>9}\n", "BAND", "LINK",
                                 "BATTERY", "LAST DATA", "WINDOWS", "BAD PKTS");
        for (const auto& b : answer["bands"]) {
            const std::string battery = b["battery_percent"].is_null()
                                            ? "-"
                                            : fmt::format("{}%", b["battery_percent"].get<int>());
            const std::string age =
                b["last_data_age_s"].is_null()
                    ? "never"
                    : fmt::format("{:.0f}s ago", b["last_data_age_s"].get<double>());
            std::cout << fmt::format("{:<10} {:<12} {:>7} {:>10} {:>8} {:>9}\n",
                                     b["band"].get<std::string>(), b["link"].get<std::string>(),
                                     battery, age, b["windows"].get<std::uint64_t>(),
                                     b["malformed_packets"].get<std::uint64_t>());
        }
    });
}

}  // namespace wardgate::cli
