// Everything an operation needs besides its request (docs/ARCHITECTURE.md):
// where things live, and the seams through which it touches the world. It is
// built once, in the command line's main, from the flags and the environment;
// nothing below main reads the environment, works out a default path, reads
// the clock or talks to the terminal itself. Tests build one with an
// in-memory file system, a fixed clock and a recording output.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "clock.h"
#include "digest/file_hasher.h"
#include "file_system.h"
#include "ops/key_ring.h"

namespace assay {

// Where things live (DESIGN.md, Keys and trust; docs/usage.md, Defaults).
struct Paths {
  std::string config_dir;  // keys and the trust file, by default
  std::string cache_dir;   // the hash cache and the ledgers' query indexes
  std::string ledger;      // the ledger folder
  // The embedded default ledger, made on first use; a ledger named by flag or
  // environment must exist already ('assay init').
  bool ledger_is_default = false;
  std::string trust_file;
  std::string key_file;  // the signing key

  std::string hash_cache() const { return cache_dir + "/hash-cache.sqlite3"; }
};

// What an operation says while it runs, besides its result: warnings, and
// the progress of long work. The command line draws progress on stderr when
// it is a terminal; tests record what was said.
class Output {
 public:
  virtual ~Output() = default;
  // One line, without "warning: " (the output adds it).
  virtual void Warn(const std::string& message) = 0;
  // A sink for the progress of `total` bytes of work, described by `what`
  // ("hashing"); it shows rate and time left where that is wanted, and stops
  // when destroyed. Never null.
  virtual std::unique_ptr<ProgressSink> Progress(std::string_view what, uint64_t total) = 0;
  // The same for `total` items called `noun` ("records", "revisions"; a total
  // of 0: not known), counted through the sink's AddHashedBytes one by one.
  virtual std::unique_ptr<ProgressSink> ProgressOf(std::string_view what, std::string_view /*noun*/, uint64_t total) {
    return Progress(what, total);
  }
};

struct Context {
  Paths paths;
  FileSystem& fs;
  Clock& clock;
  KeyRing& keys;
  Output& output;

  // The time trust-file validity dates are judged at.
  int64_t NowUnixSeconds() const { return clock.NowNanos() / 1'000'000'000; }
};

}  // namespace assay
