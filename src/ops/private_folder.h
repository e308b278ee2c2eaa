// The folder that holds keys and the trust file (Paths::config_dir), made on
// first use. Like ssh and gpg, assay makes it readable by its owner only, so
// a new secret key is never listed to other users.
#pragma once

#include <string>

#include "file_system.h"
#include "status.h"

namespace assay {

// Creates the folder `file_path` lives in when it is missing (parents too).
// The folder it creates for the file gets mode 0700; a folder that already
// exists is left as it is. kIo naming the folder when it cannot be made.
Status CreatePrivateFolderFor(FileSystem& fs, const std::string& file_path);

}  // namespace assay
