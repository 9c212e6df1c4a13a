#include "child_process.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spawn.h>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX global

namespace wardgate::test {

namespace {

std::array<int, 2> makePipe() {
    std::array<int, 2> fds{};
    if (::pipe2(fds.data(), O_CLOEXEC) != 0) {
        throw std::system_error(errno, std::generic_category(), "pipe2");
    }
    return fds;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (std::string& s : strings) {
        out.push_back(s.data());
    }
    out.push_back(nullptr);
    return out;
}

int exitCode(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::vector<std::string>& extraEnv) {
    const auto out = makePipe();
    const auto err = makePipe();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);

    std::vector<std::string> args = argv;
    std::vector<std::string> env = extraEnv;
    for (char** e = environ; *e != nullptr; ++e) {
        env.emplace_back(*e);
    }
    auto argp = pointers(args);
    auto envp = pointers(env);
    const int rc =
        posix_spawn(&pid_, args.front().c_str(), &actions, nullptr, argp.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    stdoutFd_ = out[0];
    stderrFd_ = err[0];
    if (rc != 0) {
        pid_ = -1;
        throw std::system_error(rc, std::generic_category(), "posix_spawn " + args.front());
    }
}

ChildProcess::~ChildProcess() {
    if (pid_ > 0) {
        terminate();
    }
    ::close(stdoutFd_);
    ::close(stderrFd_);
}

std::optional<std::string> ChildProcess::readStdoutLine(std::chrono::milliseconds timeout) {
    return readLine(stdoutFd_, stdoutBuffer_, timeout);
}

std::optional<std::string> ChildProcess::readStderrLine(std::chrono::milliseconds timeout) {
    return readLine(stderrFd_, stderrBuffer_, timeout);
}

std::optional<std::string> ChildProcess::readLine(int fd, std::string& buffer,
                                                  std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (const auto nl = buffer.find('\n'); nl != std::string::npos) {
            std::string line = buffer.substr(0, nl);
            buffer.erase(0, nl + 1);
            return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return std::nullopt;
        }
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            continue;
        }
        std::array<char, 512> chunk{};
        const ssize_t n = ::read(fd, chunk.data(), chunk.size());
        if (n <= 0) {
            return std::nullopt;
        }
        buffer.append(chunk.data(), static_cast<std::size_t>(n));
    }
}

int ChildProcess::terminate() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
    }
    return wait();
}

int ChildProcess::wait() {
    if (pid_ <= 0) {
        return -1;
    }
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return exitCode(status);
}

}  // namespace wardgate::test
