// Secret bytes (key seeds, decrypted key files) kept in libsodium's guarded
// heap: each buffer sits between guard pages, is locked out of swap where the
// system allows it, is inaccessible except inside Read/Write, and is wiped
// when freed. Secrets never pass through std::string.
//
// Move-only. Thread-safe: Read and Write on one object serialise on an
// internal mutex, so one key can sign from several threads. Do not nest a
// Read or Write inside another on the same object (it would deadlock).
// A moved-from object may only be destroyed or assigned to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace assay {

class SecretBytes {
 public:
  // `size` zero bytes. Aborts if the guarded heap is exhausted.
  explicit SecretBytes(size_t size);
  static SecretBytes CopyOf(std::span<const uint8_t> bytes);
  ~SecretBytes();
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  size_t size() const;

  // Calls use(std::span<const uint8_t>) with the bytes readable, and returns what it returns.
  template <typename F>
  decltype(auto) Read(F&& use) const {
    Access access(*region_, /*writable=*/false);
    return use(std::span<const uint8_t>(access.data(), size()));
  }

  // Calls fill(std::span<uint8_t>) with the bytes writable, and returns what it returns.
  template <typename F>
  decltype(auto) Write(F&& fill) {
    Access access(*region_, /*writable=*/true);
    return fill(std::span<uint8_t>(access.data(), size()));
  }

 private:
  struct Region;

  // Opens the pages for the lifetime of the object and closes them again.
  class Access {
   public:
    Access(Region& region, bool writable);
    ~Access();
    Access(const Access&) = delete;
    Access& operator=(const Access&) = delete;
    uint8_t* data() const;

   private:
    Region& region_;
  };

  std::unique_ptr<Region> region_;
};

}  // namespace assay
