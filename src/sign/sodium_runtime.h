// libsodium must be initialised once per process before any of its functions
// are called (it picks CPU-specific code and seeds its random generator).
#pragma once

namespace assay {

// Initialises libsodium on first use; safe to call from several threads at once
// and cheap after the first call. Aborts if libsodium cannot start (no
// randomness source), since no key can be made or used without it.
void EnsureSodium();

}  // namespace assay
