// What the targets share: the input as a file of an in-memory file system,
// for the readers that take a path or an open file.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "file_system.h"
#include "memory_file_system.h"

namespace assay::fuzz {

// `input` at `path` of a fresh in-memory file system (folders made).
std::unique_ptr<testing::MemoryFileSystem> FileSystemWith(const std::string& path, std::string_view input);

// `input` as an open file named `path`.
std::unique_ptr<RandomAccessFile> FileOf(const std::string& path, std::string_view input);

// `input` cut into at most `parts` pieces at each line "----8<----": the
// files of a multi-file format, each piece one file, in a fixed order.
std::vector<std::string_view> Pieces(std::string_view input, size_t parts);

}  // namespace assay::fuzz
