#pragma once
// --sent-log: one CSV line per RR interval that reached a subscriber, so a
// test can recompute exactly what a client should have received.
//
//   address,seq,rr_raw
//   AA:BB:CC:00:00:01,0,1024
//
// seq counts the delivered RR intervals of that band from 0; rr_raw is the
// 1/1024 s value in the 0x2A37 payload. The file is appended to (the header is
// written only when the file is empty) and flushed after every line.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

namespace wardgate::bandsim {

class SentLog {
  public:
    // Throws std::system_error when the file cannot be opened.
    explicit SentLog(const std::filesystem::path& file);

    void record(const std::string& address, std::uint64_t seq, std::uint16_t rrRaw);

  private:
    struct Closer {
        void operator()(std::FILE* f) const noexcept { std::fclose(f); }
    };
    std::unique_ptr<std::FILE, Closer> file_;
};

}  // namespace wardgate::bandsim
