// The signer descriptions of render/signers.h and sign/trust_file.h, under
// the names the commands not yet moved to src/ops (issue 12) call them by.
#pragma once

#include <cstdint>

#include "render/signers.h"
#include "sign/trust_file.h"

namespace assay::cli {

using assay::DescribeSigner;
using assay::RoleList;
using assay::TrustEntryJson;
using assay::ValidityProblem;

// The current time, in the seconds that validity dates are compared with.
int64_t NowUnixSeconds();

}  // namespace assay::cli
