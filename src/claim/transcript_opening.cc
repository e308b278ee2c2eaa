#include "claim/transcript_opening.h"

#include "json/strict_json.h"

namespace assay {
namespace {

using json = nlohmann::json;

constexpr char kHeaderKey[] = "assayTranscriptOpening";

Result<TranscriptLeaf> ParseLeafLine(std::string_view line) {
  ASSAY_ASSIGN_OR_RETURN(json entry, ParseStrictJson(line));
  if (!entry.is_object() || entry.size() != 3) {
    return Status::InvalidInput("a sample line is not an object of id, salt and leaf");
  }
  const auto id = entry.find("id");
  const auto salt_hex = entry.find("salt");
  const auto leaf = entry.find("leaf");
  if (id == entry.end() || !id->is_string()) return Status::InvalidInput("'id' is not a string");
  std::optional<Sha256Digest> salt;
  if (salt_hex != entry.end() && salt_hex->is_string()) salt = Sha256FromHex(salt_hex->get_ref<const std::string&>());
  if (!salt) return Status::InvalidInput("'salt' is not 64 hex digits");
  if (leaf == entry.end() || !leaf->is_object()) return Status::InvalidInput("'leaf' is not an object");
  const auto leaf_id = leaf->find("id");
  if (leaf_id == leaf->end() || *leaf_id != *id) return Status::InvalidInput("the leaf's id is not the line's id");
  ASSAY_RETURN_IF_ERROR(SampleFromLeafObject(*leaf).status());
  return MakeLeaf(id->get<std::string>(), *leaf, *salt);
}

}  // namespace

std::string FormatTranscriptOpening(const Transcript& transcript) {
  std::string text = json{{kHeaderKey, 1}, {"root", ToHex(transcript.root)}, {"samples", transcript.leaves.size()}}.dump();
  text += '\n';
  for (const TranscriptLeaf& leaf : transcript.leaves) {
    // The leaf is already canonical JSON; it is spliced in as it is, so the
    // file holds exactly the bytes that were hashed.
    text += "{\"id\":" + json(leaf.id).dump() + ",\"leaf\":" + leaf.canonical + ",\"salt\":\"" + ToHex(leaf.salt) + "\"}\n";
  }
  return text;
}

Result<Transcript> ParseTranscriptOpening(std::string_view text, const std::string& path) {
  std::vector<TranscriptLeaf> leaves;
  std::optional<Sha256Digest> root;
  uint64_t declared = 0;
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    if (end == std::string_view::npos) {
      return Status::InvalidInput(path + ": line " + std::to_string(line_number + 1) + " does not end in a newline (truncated?)");
    }
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end + 1);
    ++line_number;
    const std::string where = path + ": line " + std::to_string(line_number) + ": ";
    if (line_number == 1) {
      Result<json> header = ParseStrictJson(line);
      if (!header.ok() || !header->is_object() || header->value(kHeaderKey, json()) != 1 ||
          !header->contains("root") || !(*header)["root"].is_string() || !header->contains("samples") ||
          !(*header)["samples"].is_number_unsigned()) {
        return Status::InvalidInput(where + "not a transcript opening header {\"assayTranscriptOpening\":1,\"root\":...,\"samples\":N}");
      }
      root = Sha256FromHex((*header)["root"].get<std::string>());
      if (!root) return Status::InvalidInput(where + "'root' is not 64 hex digits");
      declared = (*header)["samples"].get<uint64_t>();
      continue;
    }
    Result<TranscriptLeaf> leaf = ParseLeafLine(line);
    if (!leaf.ok()) return Status::InvalidInput(where + leaf.status().message());
    leaves.push_back(std::move(leaf).value());
  }
  if (!root) return Status::InvalidInput(path + ": empty file, not a transcript opening");
  if (leaves.size() != declared) {
    return Status::CheckFailed(path + ": the header says " + std::to_string(declared) + " samples but " +
                               std::to_string(leaves.size()) + " follow (truncated or extended?)");
  }
  Result<Transcript> transcript = TranscriptFromLeaves(std::move(leaves));
  if (!transcript.ok()) return Status::InvalidInput(path + ": " + transcript.status().message());
  if (transcript->root != *root) {
    return Status::CheckFailed(path + ": the samples do not hash to the root in its header (a sample was edited)");
  }
  return transcript;
}

Result<Transcript> ReadTranscriptOpening(FileSystem& fs, const std::string& path) {
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(fs, path, kMaxTranscriptOpeningBytes));
  return ParseTranscriptOpening(text, path);
}

}  // namespace assay
