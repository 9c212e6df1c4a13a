// wardgate: the command-line tool workers, ward IT and researchers use to
// talk to the wardgated daemon (pairing, consent, status, reading one's own
// features, withdrawal) and to analyse recordings offline.

#include <cstdlib>
#include <iostream>

#include "tools/cli/commands.hpp"
#include "tools/cli/control_client.hpp"
#ifdef WARDGATE_HAVE_ANALYZE_LIB
#include "tools/analyze/analyze_command.hpp"
#endif

int main(int argc, char** argv) {
    using namespace wardgate::cli;
    CLI::App app{"wardgate: pair your band, choose what you share, read your own features"};
    app.require_subcommand(1);
    GlobalOptions global;
    app.add_option("--socket", global.socket,
                   "Control socket of wardgated (default $WARDGATE_SOCKET or "
                   "/run/wardgate/control.sock)");
    app.add_flag("--json", global.json, "Machine-readable JSON output");

    addScanCommand(app, global);
    addPairCommand(app, global);
    addStatusCommand(app, global);
    addMeCommand(app, global);
    addWithdrawCommand(app, global);
#ifdef WARDGATE_HAVE_ANALYZE_LIB
    wardgate::analyze::addAnalyzeCommand(app);
#endif

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const CliError& e) {
        std::cerr << "wardgate: " << e.what() << "\n";
        return EXIT_FAILURE;
    } catch (const std::exception& e) {
        std::cerr << "wardgate: unexpected error: " << e.what() << "\n";
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}
