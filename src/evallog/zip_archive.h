// The members of a zip archive (Inspect's `.eval` logs), read with libarchive
// through the FileSystem seam. libarchive's seekable zip reader is used: it
// trusts the central directory, as Python's zipfile (Inspect's writer and
// reader) does, so members rewritten in place are read as Inspect reads them.
// Debian 12's libarchive 3.6.2 inflates deflate (method 8) and zstd (method 93)
// members; Inspect writes zstd by default since 0.3.206.
//
// Hostile archives are bounded: the member count, each member's size and the
// total uncompressed bytes read are limited (sizes are checked as bytes
// arrive, not only against the sizes the archive claims), and names must be
// relative paths without "." or ".." components, unique in the archive.
//
// Errors: kInvalidInput "PATH: ..." for malformed or oversized archives
// (libarchive's own message kept); kIo for read failures of the file.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "file_system.h"
#include "status.h"

namespace assay {

struct ZipLimits {
  uint64_t max_members = 0;
  uint64_t max_member_bytes = 0;  // uncompressed
  uint64_t max_total_bytes = 0;   // uncompressed, over the members read
};

// For each regular member in central-directory order, asks `wanted(name)`;
// reads a wanted member whole and calls `visit(name, bytes)`. An error from
// `visit` stops the reading and is returned as it is.
Status ForEachZipMember(const RandomAccessFile& file, const ZipLimits& limits,
                        const std::function<bool(std::string_view)>& wanted,
                        const std::function<Status(const std::string&, std::string)>& visit);

}  // namespace assay
