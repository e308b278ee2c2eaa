#include "sign/secret_bytes.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <utility>

#include "sign/sodium_runtime.h"

namespace assay {

struct SecretBytes::Region {
  void* memory = nullptr;
  size_t size = 0;
  std::mutex mutex;
};

SecretBytes::SecretBytes(size_t size) : region_(std::make_unique<Region>()) {
  EnsureSodium();
  // sodium_malloc(0) is allowed but one byte keeps every pointer dereferenceable.
  region_->memory = sodium_malloc(size == 0 ? 1 : size);
  if (region_->memory == nullptr) std::abort();
  region_->size = size;
  std::memset(region_->memory, 0, size == 0 ? 1 : size);
  if (sodium_mprotect_noaccess(region_->memory) != 0) std::abort();
}

SecretBytes SecretBytes::CopyOf(std::span<const uint8_t> bytes) {
  SecretBytes copy(bytes.size());
  copy.Write([&](std::span<uint8_t> out) {
    if (!bytes.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
  });
  return copy;
}

SecretBytes::~SecretBytes() {
  // sodium_free wipes the bytes (it lifts the protection itself) and unmaps the pages.
  if (region_ != nullptr) sodium_free(region_->memory);
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept = default;

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  std::swap(region_, other.region_);
  return *this;
}

size_t SecretBytes::size() const { return region_->size; }

SecretBytes::Access::Access(Region& region, bool writable) : region_(region) {
  region_.mutex.lock();
  int rc = writable ? sodium_mprotect_readwrite(region_.memory)
                    : sodium_mprotect_readonly(region_.memory);
  if (rc != 0) std::abort();  // mprotect fails only when the kernel is out of mappings
}

SecretBytes::Access::~Access() {
  if (sodium_mprotect_noaccess(region_.memory) != 0) std::abort();
  region_.mutex.unlock();
}

uint8_t* SecretBytes::Access::data() const { return static_cast<uint8_t*>(region_.memory); }

}  // namespace assay
