#pragma once
// A child process for integration tests: fork/exec with arguments and extra
// environment, its stderr (optionally stdout too) written to a file that the
// test can wait on line by line, and a bounded shutdown.
//
// Output always goes to a file, never a pipe, so a chatty child can never
// block on a full pipe while the test is busy elsewhere. The child gets
// SIGKILL if the test process dies (PR_SET_PDEATHSIG), so a crashed test
// leaves no daemons behind on a CI runner.
//
// Threading: use from one thread.

#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <sys/types.h>

namespace wardgate::test {

class ChildProcess {
  public:
    struct Options {
        std::vector<std::string> environment;  // "NAME=value", added to (or overriding) ours
        std::string outputPath;                // where stderr goes; empty: a temporary file
        bool captureStdout = false;            // stdout into the same file (else /dev/null)
    };

    // `program` is a path, or a name looked up in PATH. Throws
    // std::runtime_error if it cannot be started.
    ChildProcess(std::string program, std::vector<std::string> args, Options options);
    ChildProcess(std::string program, std::vector<std::string> args)
        : ChildProcess(std::move(program), std::move(args), Options{}) {}
    ~ChildProcess();

    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    [[nodiscard]] pid_t pid() const noexcept { return pid_; }
    [[nodiscard]] const std::string& outputPath() const noexcept { return outputPath_; }

    // The next output line (after the last one returned) in which `pattern`
    // matches (std::regex_search), or nullopt after `timeout` or once the
    // child has exited without printing one.
    [[nodiscard]] std::optional<std::string> waitForLine(const std::regex& pattern,
                                                         std::chrono::milliseconds timeout);
    // The same with an ECMAScript pattern given as text (throws
    // std::regex_error for a bad one). Prefer this form: constructing a
    // std::regex in a test trips GCC 12's false -Wmaybe-uninitialized under
    // ASan (GCC bug 105616), and this keeps that inside the support library.
    [[nodiscard]] std::optional<std::string> waitForLine(const std::string& pattern,
                                                         std::chrono::milliseconds timeout);
    [[nodiscard]] std::optional<std::string> waitForLine(const char* pattern,
                                                         std::chrono::milliseconds timeout) {
        return waitForLine(std::string(pattern), timeout);
    }
    // Everything written so far.
    [[nodiscard]] std::string output() const;

    [[nodiscard]] bool running();
    // SIGTERM, then SIGKILL if still alive after `grace`. Returns the exit
    // status as exitStatus() does. Idempotent.
    int terminate(std::chrono::milliseconds grace = std::chrono::seconds(5));
    // Exit code, or 128 + signal number; nullopt while running.
    [[nodiscard]] std::optional<int> exitStatus();

  private:
    bool reap(bool block);

    pid_t pid_ = -1;
    std::string outputPath_;
    bool ownsOutput_ = false;
    std::size_t scanFrom_ = 0;
    std::optional<int> status_;
};

}  // namespace wardgate::test
