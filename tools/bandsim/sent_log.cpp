#include "tools/bandsim/sent_log.hpp"

#include <cerrno>
#include <system_error>

#include <fmt/format.h>

namespace wardgate::bandsim {

SentLog::SentLog(const std::filesystem::path& file) : file_(std::fopen(file.c_str(), "a")) {
    if (!file_) {
        throw std::system_error(errno, std::generic_category(), "cannot open " + file.string());
    }
    std::error_code ec;
    if (std::filesystem::file_size(file, ec) == 0 && !ec) {
        fmt::print(file_.get(), "address,seq,rr_raw\n");
        std::fflush(file_.get());
    }
}

void SentLog::record(const std::string& address, std::uint64_t seq, std::uint16_t rrRaw) {
    fmt::print(file_.get(), "{},{},{}\n", address, seq, rrRaw);
    std::fflush(file_.get());
}

}  // namespace wardgate::bandsim
