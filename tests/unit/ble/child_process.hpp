#pragma once
// A child process for tests that need the real thing (dbus-daemon, the band
// simulator): spawned with posix_spawn, stdout and stderr on pipes, SIGTERM
// and reaped on destruction. Single-threaded test use only.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace wardgate::test {

class ChildProcess {
  public:
    // argv[0] is the executable path; extraEnv entries are "NAME=value".
    ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& extraEnv);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ChildProcess(ChildProcess&&) = delete;
    ChildProcess& operator=(ChildProcess&&) = delete;

    // The next line on stdout or stderr (without '\n'), or nullopt on timeout or EOF.
    [[nodiscard]] std::optional<std::string> readStdoutLine(std::chrono::milliseconds timeout);
    [[nodiscard]] std::optional<std::string> readStderrLine(std::chrono::milliseconds timeout);

    // Sends SIGTERM and waits; returns the exit code, or 128 + signal number.
    int terminate();
    // Waits for the process to exit on its own; returns as terminate() does.
    int wait();

  private:
    std::optional<std::string> readLine(int fd, std::string& buffer,
                                        std::chrono::milliseconds timeout);

    pid_t pid_ = -1;
    int stdoutFd_ = -1;
    int stderrFd_ = -1;
    std::string stdoutBuffer_;
    std::string stderrBuffer_;
};

}  // namespace wardgate::test
