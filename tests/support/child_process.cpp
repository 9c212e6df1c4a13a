#include "child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace wardgate::test {

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(20);

std::string resolveProgram(const std::string& program) {
    if (program.find('/') != std::string::npos) {
        return program;
    }
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        std::string candidate = dir + "/" + program;
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
    }
    throw std::runtime_error("program not found in PATH: " + program);
}

std::vector<std::string> mergedEnvironment(const std::vector<std::string>& extra) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry(*e);
        const auto name = entry.substr(0, entry.find('=') + 1);
        bool overridden = false;
        for (const auto& x : extra) {
            overridden = overridden || x.compare(0, name.size(), name) == 0;
        }
        if (!overridden) {
            env.push_back(entry);
        }
    }
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) {
        out.push_back(s.data());
    }
    out.push_back(nullptr);
    return out;
}

std::string temporaryPath() {
    std::string pattern = "/tmp/wardgate-child-XXXXXX";
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
        throw std::runtime_error("mkstemp failed: " + std::string(std::strerror(errno)));
    }
    ::close(fd);
    return pattern;
}

// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void execChild(const char* program, char** argv, char** envp, int outFd,
                            bool captureStdout) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    const int devNull = ::open("/dev/null", O_RDWR);
    ::dup2(devNull, STDIN_FILENO);
    ::dup2(captureStdout ? outFd : devNull, STDOUT_FILENO);
    ::dup2(outFd, STDERR_FILENO);
    ::execve(program, argv, envp);
    ::_exit(127);
}

}  // namespace

ChildProcess::ChildProcess(std::string program, std::vector<std::string> args, Options options)
    : outputPath_(std::move(options.outputPath)) {
    if (outputPath_.empty()) {
        outputPath_ = temporaryPath();
        ownsOutput_ = true;
    }
    const int outFd = ::open(outputPath_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (outFd < 0) {
        throw std::runtime_error("cannot open " + outputPath_ + ": " + std::strerror(errno));
    }
    std::string resolved = resolveProgram(program);
    std::vector<std::string> argvStrings{resolved};
    argvStrings.insert(argvStrings.end(), args.begin(), args.end());
    auto envStrings = mergedEnvironment(options.environment);
    auto argv = pointers(argvStrings);
    auto envp = pointers(envStrings);

    pid_ = ::fork();
    if (pid_ == 0) {
        execChild(resolved.c_str(), argv.data(), envp.data(), outFd, options.captureStdout);
    }
    ::close(outFd);
    if (pid_ < 0) {
        throw std::runtime_error("fork failed: " + std::string(std::strerror(errno)));
    }
}

ChildProcess::~ChildProcess() {
    terminate();
    if (ownsOutput_) {
        ::unlink(outputPath_.c_str());
    }
}

std::string ChildProcess::output() const {
    std::ifstream in(outputPath_, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::optional<std::string> ChildProcess::waitForLine(const std::string& pattern,
                                                     std::chrono::milliseconds timeout) {
    return waitForLine(std::regex(pattern), timeout);
}

std::optional<std::string> ChildProcess::waitForLine(const std::regex& re,
                                                     std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const bool exited = !running();  // read after checking, so nothing is missed
        const std::string text = output();
        std::size_t end = 0;
        while ((end = text.find('\n', scanFrom_)) != std::string::npos) {
            std::string line = text.substr(scanFrom_, end - scanFrom_);
            scanFrom_ = end + 1;
            if (std::regex_search(line, re)) {
                return line;
            }
        }
        if (exited || std::chrono::steady_clock::now() >= deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(kPollInterval);
    }
}

bool ChildProcess::reap(bool block) {
    if (status_ || pid_ <= 0) {
        return true;
    }
    int raw = 0;
    const pid_t r = ::waitpid(pid_, &raw, block ? 0 : WNOHANG);
    if (r == 0) {
        return false;
    }
    if (r < 0) {
        status_ = -1;
        return true;
    }
    status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    return true;
}

bool ChildProcess::running() {
    return !reap(false);
}

std::optional<int> ChildProcess::exitStatus() {
    reap(false);
    return status_;
}

int ChildProcess::terminate(std::chrono::milliseconds grace) {
    if (running()) {
        ::kill(pid_, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + grace;
        while (running() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(kPollInterval);
        }
        if (running()) {
            ::kill(pid_, SIGKILL);
            reap(true);
        }
    }
    return status_.value_or(-1);
}

}  // namespace wardgate::test
