// The SSH wire encoding (RFC 4251 section 5) that OpenSSH public key blobs and
// SSHSIG use: uint32 big-endian, and string = uint32 length || bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace assay {

void AppendSshU32(std::string& out, uint32_t value);
void AppendSshString(std::string& out, std::string_view bytes);

// Reads fields from a byte view it does not own, bounds-checked: a read past
// the end returns false and leaves the reader failed.
class SshWireReader {
 public:
  explicit SshWireReader(std::string_view bytes) : rest_(bytes) {}

  bool ReadU32(uint32_t& value);
  // A string; `value` points into the viewed bytes.
  bool ReadString(std::string_view& value);
  // Exactly `size` raw bytes (not length-prefixed).
  bool ReadRaw(size_t size, std::string_view& value);
  bool AtEnd() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

}  // namespace assay
