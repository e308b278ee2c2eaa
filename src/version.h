// The version of assay, as records name their generator.
#pragma once

namespace assay {
inline constexpr char kAssayVersion[] = "0.1.0";
}  // namespace assay
