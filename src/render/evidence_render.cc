#include "render/evidence_render.h"

#include "render/signers.h"
#include "render/text.h"

namespace assay {

std::string RenderText(const ExportedBundle& exported) {
  const SignedClaim& claim = exported.claim;
  std::string text = Format("bundle     %s: the claim, %s%zu reproduction(s) and %zu signer key(s)\n",
                            exported.bundle_path, exported.has_model_record ? "its model record, " : "",
                            claim.reproductions.size(), exported.keys);
  for (const JudgedRevocation& withdrawn : exported.withdrawn) {
    text += Format("withdrawn  record %.16s: %s (the revocation is in the bundle)\n", withdrawn.revocation.record,
                   WithdrawalText(withdrawn));
  }
  return text + Format("check it   assay verify claim %.16s --bundle %s\n", claim.record.id, exported.bundle_path);
}

std::string RenderText(const ProvedSample& proved) {
  // The proof is JSON, and JSON escapes by its own rules: shown as it is.
  if (proved.written.empty()) return proved.text;
  return Format("proof      %s: sample %s, leaf %llu of %llu\n", proved.written, proved.proof.leaf.id,
                static_cast<unsigned long long>(proved.proof.index),
                static_cast<unsigned long long>(proved.proof.tree_size));
}

std::string RenderText(const SampleVerification& verification) {
  const SampleProof& proof = verification.proof;
  std::string text = Format("ok         sample %s is leaf %llu of the %llu-sample transcript claim %.16s commits to\n",
                            proof.leaf.id, static_cast<unsigned long long>(proof.index),
                            static_cast<unsigned long long>(proof.tree_size), verification.claim.record.id);
  for (const RecordSigner& signer : verification.claim.record.signers) {
    if (signer.entry) text += Format("signed by  %s\n", DescribeSigner(*signer.entry));
  }
  return text + Format("sample     %s\n", proof.leaf.canonical);
}

nlohmann::json RenderJson(const SampleVerification& verification) {
  const SampleProof& proof = verification.proof;
  nlohmann::json signers = nlohmann::json::array();
  for (const RecordSigner& signer : verification.claim.record.signers) signers.push_back(RecordSignerJson(signer));
  return {{"ok", true},
          {"claim", verification.claim.record.id},
          {"sample", proof.leaf.id},
          {"index", proof.index},
          {"treeSize", proof.tree_size},
          {"signers", std::move(signers)},
          {"leaf", proof.leaf_object}};
}

}  // namespace assay
