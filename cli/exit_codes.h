// DESIGN.md, Command line: the exit codes, decided here and nowhere else.
#pragma once

#include "status.h"

namespace assay::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitCheckFailed = 1;   // a check said no
inline constexpr int kExitInvalidInput = 2;  // usage error or invalid input
inline constexpr int kExitIo = 3;            // I/O or environment error

inline int ExitCodeFor(const Status& status) {
  switch (status.kind()) {
    case ErrorKind::kOk:
      return kExitOk;
    case ErrorKind::kCheckFailed:
      return kExitCheckFailed;
    case ErrorKind::kInvalidInput:
    case ErrorKind::kNotFound:
      return kExitInvalidInput;
    case ErrorKind::kIo:
      return kExitIo;
  }
  return kExitIo;
}

}  // namespace assay::cli
