#include "faulty_vfs.hpp"

#include <cstring>
#include <stdexcept>

#include <sqlite3.h>

namespace wardgate::storage::test {
namespace {

struct FaultState {
    bool armed = false;
    int nth = 0;
    int errorCode = SQLITE_IOERR;
    bool persistent = false;
    int operations = 0;
    int failures = 0;
};
FaultState state;

sqlite3_vfs* realVfs = nullptr;
sqlite3_vfs faultyVfs;

// Our file object: the wrapper's header followed by the real VFS's file.
struct FaultyFile {
    sqlite3_file base;
    sqlite3_file* real;
};

sqlite3_file* realOf(sqlite3_file* f) {
    return reinterpret_cast<FaultyFile*>(f)->real;
}

bool shouldFail() {
    ++state.operations;
    if (!state.armed) {
        return false;
    }
    const bool fail =
        state.operations == state.nth || (state.persistent && state.operations > state.nth);
    if (fail) {
        ++state.failures;
    }
    return fail;
}

int xClose(sqlite3_file* f) {
    sqlite3_file* real = realOf(f);
    const int rc = real->pMethods != nullptr ? real->pMethods->xClose(real) : SQLITE_OK;
    return rc;
}
int xRead(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
    return realOf(f)->pMethods->xRead(realOf(f), buf, n, off);
}
int xWrite(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
    return shouldFail() ? state.errorCode : realOf(f)->pMethods->xWrite(realOf(f), buf, n, off);
}
int xTruncate(sqlite3_file* f, sqlite3_int64 size) {
    return shouldFail() ? state.errorCode : realOf(f)->pMethods->xTruncate(realOf(f), size);
}
int xSync(sqlite3_file* f, int flags) {
    return shouldFail() ? SQLITE_IOERR_FSYNC : realOf(f)->pMethods->xSync(realOf(f), flags);
}
int xFileSize(sqlite3_file* f, sqlite3_int64* size) {
    return realOf(f)->pMethods->xFileSize(realOf(f), size);
}
int xLock(sqlite3_file* f, int level) {
    return realOf(f)->pMethods->xLock(realOf(f), level);
}
int xUnlock(sqlite3_file* f, int level) {
    return realOf(f)->pMethods->xUnlock(realOf(f), level);
}
int xCheckReservedLock(sqlite3_file* f, int* out) {
    return realOf(f)->pMethods->xCheckReservedLock(realOf(f), out);
}
int xFileControl(sqlite3_file* f, int op, void* arg) {
    return realOf(f)->pMethods->xFileControl(realOf(f), op, arg);
}
int xSectorSize(sqlite3_file* f) {
    return realOf(f)->pMethods->xSectorSize(realOf(f));
}
int xDeviceCharacteristics(sqlite3_file* f) {
    return realOf(f)->pMethods->xDeviceCharacteristics(realOf(f));
}
int xShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return realOf(f)->pMethods->xShmMap(realOf(f), page, size, extend, out);
}
int xShmLock(sqlite3_file* f, int offset, int n, int flags) {
    return realOf(f)->pMethods->xShmLock(realOf(f), offset, n, flags);
}
void xShmBarrier(sqlite3_file* f) {
    realOf(f)->pMethods->xShmBarrier(realOf(f));
}
int xShmUnmap(sqlite3_file* f, int deleteFlag) {
    return realOf(f)->pMethods->xShmUnmap(realOf(f), deleteFlag);
}
int xFetch(sqlite3_file* f, sqlite3_int64 off, int amount, void** out) {
    return realOf(f)->pMethods->xFetch(realOf(f), off, amount, out);
}
int xUnfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
    return realOf(f)->pMethods->xUnfetch(realOf(f), off, p);
}

const sqlite3_io_methods kMethods = {3,
                                     xClose,
                                     xRead,
                                     xWrite,
                                     xTruncate,
                                     xSync,
                                     xFileSize,
                                     xLock,
                                     xUnlock,
                                     xCheckReservedLock,
                                     xFileControl,
                                     xSectorSize,
                                     xDeviceCharacteristics,
                                     xShmMap,
                                     xShmLock,
                                     xShmBarrier,
                                     xShmUnmap,
                                     xFetch,
                                     xUnfetch};

int xOpen(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* outFlags) {
    auto* file = reinterpret_cast<FaultyFile*>(f);
    file->base.pMethods = nullptr;
    file->real = reinterpret_cast<sqlite3_file*>(file + 1);
    const int rc = realVfs->xOpen(realVfs, name, file->real, flags, outFlags);
    if (rc == SQLITE_OK) {
        file->base.pMethods = &kMethods;
    }
    return rc;
}

}  // namespace

void FaultyVfs::install() {
    if (realVfs != nullptr) {
        return;
    }
    realVfs = sqlite3_vfs_find(nullptr);
    if (realVfs == nullptr) {
        throw std::runtime_error("no default sqlite3_vfs");
    }
    faultyVfs = *realVfs;
    faultyVfs.zName = kName;
    faultyVfs.szOsFile = static_cast<int>(sizeof(FaultyFile)) + realVfs->szOsFile;
    faultyVfs.xOpen = xOpen;
    faultyVfs.pNext = nullptr;
    if (sqlite3_vfs_register(&faultyVfs, 0) != SQLITE_OK) {
        throw std::runtime_error("cannot register the faulty VFS");
    }
}

void FaultyVfs::arm(int nth, int errorCode, bool persistent) {
    state = FaultState{true, nth, errorCode, persistent, 0, 0};
}

void FaultyVfs::disarm() {
    state = FaultState{};
}

int FaultyVfs::operations() {
    return state.operations;
}

int FaultyVfs::failures() {
    return state.failures;
}

}  // namespace wardgate::storage::test
