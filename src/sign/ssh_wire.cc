#include "sign/ssh_wire.h"

namespace assay {

void AppendSshU32(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

void AppendSshString(std::string& out, std::string_view bytes) {
  AppendSshU32(out, static_cast<uint32_t>(bytes.size()));
  out.append(bytes);
}

bool SshWireReader::ReadU32(uint32_t& value) {
  std::string_view raw;
  if (!ReadRaw(4, raw)) return false;
  value = 0;
  for (char c : raw) value = value << 8 | static_cast<uint8_t>(c);
  return true;
}

bool SshWireReader::ReadString(std::string_view& value) {
  uint32_t size = 0;
  return ReadU32(size) && ReadRaw(size, value);
}

bool SshWireReader::ReadRaw(size_t size, std::string_view& value) {
  if (size > rest_.size()) {
    rest_ = {};
    return false;
  }
  value = rest_.substr(0, size);
  rest_.remove_prefix(size);
  return true;
}

}  // namespace assay
