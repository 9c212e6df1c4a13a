#include "tools/cli/passphrase.hpp"

#include <cstdlib>
#include <fstream>
#include <set>

#include <fcntl.h>
#include <unistd.h>

#include <termios.h>

#include "tools/cli/control_client.hpp"

namespace wardgate::cli {

std::string promptPassphrase(const std::string& prompt) {
    const int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (tty < 0) {
        throw CliError("no terminal to ask for the passphrase on; use --passphrase-file");
    }
    termios saved{};
    const bool isTerminal = ::tcgetattr(tty, &saved) == 0;
    if (isTerminal) {
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(tty, TCSAFLUSH, &quiet);
    }
    (void)!::write(tty, prompt.data(), prompt.size());

    std::string line;
    char c = 0;
    while (::read(tty, &c, 1) == 1 && c != '\n') {
        line.push_back(c);
    }
    if (isTerminal) {
        ::tcsetattr(tty, TCSAFLUSH, &saved);
    }
    (void)!::write(tty, "\n", 1);
    ::close(tty);
    return line;
}

std::string readPassphraseFile(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    if (in && std::getline(in, line) && !line.empty() && line.back() == '\r') {
        line.pop_back();  // a file written on Windows
    }
    if (!in || line.empty()) {
        throw CliError("cannot read a passphrase from " + path + " (missing or empty file)");
    }
    return line;
}

std::string obtainPassphrase(const std::string& fileOption, const std::string& prompt) {
    if (!fileOption.empty()) {
        return readPassphraseFile(fileOption);
    }
    if (const char* env = std::getenv("WARDGATE_PASSPHRASE_FILE")) {
        return readPassphraseFile(env);
    }
    return promptPassphrase(prompt);
}

std::optional<std::string> weakPassphraseReason(const std::string& passphrase) {
    constexpr std::size_t kMinLength = 10;
    constexpr std::size_t kMinDistinct = 5;
    if (passphrase.size() < kMinLength) {
        return "use at least 10 characters (a few words are easiest to remember)";
    }
    const std::set<char> distinct(passphrase.begin(), passphrase.end());
    if (distinct.size() < kMinDistinct) {
        return "use more different characters";
    }
    return std::nullopt;
}

}  // namespace wardgate::cli
