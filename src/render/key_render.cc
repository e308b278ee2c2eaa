#include "render/key_render.h"

#include "render/text.h"
#include "sign/openssh_key.h"

namespace assay {

std::string RenderText(const KeySummary& summary) {
  const MinisignPublicKey& key = summary.key;
  std::string text = Format("key id       %s\n", FormatMinisignKeyId(key.key_id));
  text += Format("public key   %s\n", EncodeMinisignPublicKey(key));
  text += Format("ssh          %s\n", FormatSshPublicKeyLine(key.key, SshCommentFor(key)));
  text += Format("fingerprint  %s\n", SshFingerprint(key.key));
  text += Format("public file  %s\n", summary.public_key_file);
  if (!summary.secret_key_file.empty()) text += Format("secret file  %s\n", summary.secret_key_file);
  return text;
}

nlohmann::json RenderJson(const KeySummary& summary) {
  const MinisignPublicKey& key = summary.key;
  return {
      {"key_id", FormatMinisignKeyId(key.key_id)},
      {"public_key", EncodeMinisignPublicKey(key)},
      {"ssh_public_key", FormatSshPublicKeyLine(key.key, SshCommentFor(key))},
      {"fingerprint", SshFingerprint(key.key)},
      {"public_key_file", summary.public_key_file},
      {"secret_key_file", summary.secret_key_file.empty() ? nlohmann::json(nullptr)
                                                          : nlohmann::json(summary.secret_key_file)},
  };
}

std::string RenderText(const GeneratedKey& generated) {
  KeySummary shown = generated.summary;
  shown.secret_key_file += generated.unencrypted ? " (unencrypted)" : " (encrypted with scrypt)";
  return RenderText(shown);
}

std::string RenderText(const ExportedPublicKey& exported) {
  if (exported.written_to.empty()) return exported.text;
  return Format("written to %s\n", exported.written_to);
}

std::string RenderText(const SignedFile& signed_file) {
  std::string text = Format("signature  %s\n", signed_file.signature_file);
  text += Format("key id     %s\n", FormatMinisignKeyId(signed_file.signature.key_id));
  text += Format("trusted    %s\n", signed_file.signature.trusted_comment);
  return text;
}

}  // namespace assay
