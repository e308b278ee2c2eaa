#include "claim/sample_proof.h"

#include "digest/merkle.h"
#include "json/strict_json.h"

namespace assay {
namespace {

using json = nlohmann::json;

constexpr char kProofKey[] = "assaySampleProof";

std::optional<Sha256Digest> HexDigestAt(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return Sha256FromHex(it->get_ref<const std::string&>());
}

}  // namespace

Result<SampleProof> ProveSample(const Transcript& transcript, const std::string& claim_id, const std::string& id) {
  const std::optional<uint64_t> index = transcript.IndexOf(id);
  if (!index) return Status::InvalidInput("the transcript has no sample with id '" + id + "'");
  SampleProof proof{.claim_id = claim_id,
                    .transcript_root = transcript.root,
                    .tree_size = transcript.leaves.size(),
                    .index = *index,
                    .leaf = transcript.leaves[*index],
                    .leaf_object = json::parse(transcript.leaves[*index].canonical),
                    .path = MerkleInclusionProof(transcript.LeafHashes(), *index)};
  return proof;
}

std::string FormatSampleProof(const SampleProof& proof) {
  json path = json::array();
  for (const Sha256Digest& node : proof.path) path.push_back(ToHex(node));
  json out = {{kProofKey, 1},
              {"claim", proof.claim_id},
              {"transcriptRoot", ToHex(proof.transcript_root)},
              {"treeSize", proof.tree_size},
              {"index", proof.index},
              {"id", proof.leaf.id},
              {"salt", ToHex(proof.leaf.salt)},
              {"leaf", proof.leaf_object},
              {"path", std::move(path)}};
  return out.dump(2) + "\n";
}

Result<SampleProof> ParseSampleProof(std::string_view text) {
  ASSAY_ASSIGN_OR_RETURN(json in, ParseStrictJson(text));
  if (!in.is_object() || in.value(kProofKey, json()) != 1) {
    return Status::InvalidInput("not a sample proof (no \"assaySampleProof\": 1)");
  }
  SampleProof proof;
  const auto claim = in.find("claim");
  if (claim == in.end() || !claim->is_string() || !Sha256FromHex(claim->get_ref<const std::string&>())) {
    return Status::InvalidInput("'claim' is not a record id (64 hex digits)");
  }
  proof.claim_id = claim->get<std::string>();
  const std::optional<Sha256Digest> root = HexDigestAt(in, "transcriptRoot");
  const std::optional<Sha256Digest> salt = HexDigestAt(in, "salt");
  if (!root) return Status::InvalidInput("'transcriptRoot' is not 64 hex digits");
  if (!salt) return Status::InvalidInput("'salt' is not 64 hex digits");
  proof.transcript_root = *root;
  for (const char* key : {"treeSize", "index"}) {
    if (!in.contains(key) || !in[key].is_number_unsigned()) {
      return Status::InvalidInput(std::string("'") + key + "' is not a non-negative integer");
    }
  }
  proof.tree_size = in["treeSize"].get<uint64_t>();
  proof.index = in["index"].get<uint64_t>();
  if (proof.index >= proof.tree_size) return Status::InvalidInput("'index' is not below 'treeSize'");
  const auto id = in.find("id");
  if (id == in.end() || !id->is_string()) return Status::InvalidInput("'id' is not a string");
  const auto leaf = in.find("leaf");
  if (leaf == in.end() || !leaf->is_object() || leaf->value("id", json()) != *id) {
    return Status::InvalidInput("'leaf' is not an object with the proof's id");
  }
  ASSAY_RETURN_IF_ERROR(SampleFromLeafObject(*leaf).status());
  proof.leaf_object = *leaf;
  ASSAY_ASSIGN_OR_RETURN(proof.leaf, MakeLeaf(id->get<std::string>(), *leaf, *salt));
  const auto path = in.find("path");
  if (path == in.end() || !path->is_array() || path->size() > 64) {
    return Status::InvalidInput("'path' is not an array of at most 64 hashes");
  }
  for (const json& node : *path) {
    std::optional<Sha256Digest> hash;
    if (node.is_string()) hash = Sha256FromHex(node.get_ref<const std::string&>());
    if (!hash) return Status::InvalidInput("'path' holds something other than 64 hex digits");
    proof.path.push_back(*hash);
  }
  return proof;
}

Status CheckSampleProof(const SampleProof& proof, const Sha256Digest& committed_root, uint64_t committed_samples) {
  if (proof.transcript_root != committed_root) {
    return Status::CheckFailed("the proof is for transcript root " + ToHex(proof.transcript_root) +
                               ", but the claim commits to " + ToHex(committed_root));
  }
  if (proof.tree_size != committed_samples) {
    return Status::CheckFailed("the proof is for a transcript of " + std::to_string(proof.tree_size) +
                               " samples, but the claim commits to " + std::to_string(committed_samples));
  }
  const std::optional<Sha256Digest> root =
      MerkleRootFromInclusionProof(proof.leaf.hash, proof.index, proof.tree_size, proof.path);
  if (!root) return Status::CheckFailed("the proof's path has the wrong length for its index and tree size");
  if (*root != committed_root) {
    return Status::CheckFailed("sample '" + proof.leaf.id +
                               "' does not hash to the claim's transcript root: the sample or its proof was altered");
  }
  return Status::Ok();
}

}  // namespace assay
