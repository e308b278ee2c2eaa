#include "claim/transcript_opening.h"

#include <cstring>
#include <functional>
#include <map>
#include <optional>

#include "digest/merkle.h"
#include "evallog/json_lines.h"
#include "json/strict_json.h"

namespace assay {
namespace {

using json = nlohmann::json;

constexpr char kHeaderKey[] = "assayTranscriptOpening";

}  // namespace

std::string OpeningHeaderLine(const Sha256Digest& root, uint64_t samples) {
  return json{{kHeaderKey, 1}, {"root", ToHex(root)}, {"samples", samples}}.dump() + "\n";
}

void AppendOpeningLine(const TranscriptLeaf& leaf, std::string& out) {
  // The leaf is already canonical JSON; it is spliced in as it is, so the
  // file holds exactly the bytes that were hashed.
  out += "{\"id\":";
  out += json(leaf.id).dump();
  out += ",\"leaf\":";
  out += leaf.canonical;
  out += ",\"salt\":\"";
  out += ToHex(leaf.salt);
  out += "\"}\n";
}

std::string FormatTranscriptOpening(const Transcript& transcript) {
  std::string text = OpeningHeaderLine(transcript.root, transcript.leaves.size());
  for (const TranscriptLeaf& leaf : transcript.leaves) AppendOpeningLine(leaf, text);
  return text;
}

namespace {

// One line of an opening, parsed on its own: the header (line 1), or a sample.
struct OpeningLine {
  std::optional<Sha256Digest> root;  // the header's
  uint64_t declared = 0;             // the header's sample count
  TranscriptLeaf leaf;
  EvalSample scores;  // the sample's id, digests and metrics, without its record
};

Result<OpeningLine> ParseOpeningLine(uint64_t line_number, std::string_view line) {
  OpeningLine parsed;
  if (line_number == 1) {
    Result<json> header = ParseStrictJson(line);
    if (!header.ok() || !header->is_object() || header->value(kHeaderKey, json()) != 1 || !header->contains("root") ||
        !(*header)["root"].is_string() || !header->contains("samples") || !(*header)["samples"].is_number_unsigned()) {
      return Status::InvalidInput("not a transcript opening header {\"assayTranscriptOpening\":1,\"root\":...,\"samples\":N}");
    }
    parsed.root = Sha256FromHex((*header)["root"].get<std::string>());
    if (!parsed.root) return Status::InvalidInput("'root' is not 64 hex digits");
    parsed.declared = (*header)["samples"].get<uint64_t>();
    return parsed;
  }
  ASSAY_ASSIGN_OR_RETURN(json entry, ParseStrictJson(line));
  if (!entry.is_object() || entry.size() != 3) return Status::InvalidInput("a sample line is not an object of id, salt and leaf");
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
  ASSAY_ASSIGN_OR_RETURN(parsed.scores, SampleFromLeafObject(*leaf));
  parsed.scores.record = nullptr;
  ASSAY_ASSIGN_OR_RETURN(parsed.leaf, MakeLeaf(id->get<std::string>(), *leaf, *salt));
  return parsed;
}

// Reads an opening line by line, checking its form, order and root, and
// hands each sample's leaf and scores to `take` in leaf order.
Status ForEachOpenedLeaf(const RandomAccessFile& file,
                         const std::function<Status(TranscriptLeaf, const EvalSample&)>& take,
                         Sha256Digest& root) {
  const std::string& path = file.path();
  if (file.size() == 0) return Status::InvalidInput(path + ": empty file, not a transcript opening");
  uint8_t last = 0;
  ASSAY_RETURN_IF_ERROR(file.ReadExactly(file.size() - 1, std::span<uint8_t>(&last, 1)));
  if (last != '\n') {
    uint64_t lines = 0;
    ASSAY_RETURN_IF_ERROR(ForEachLine(file, kMaxTranscriptOpeningLineBytes, [&](uint64_t number, std::string_view) {
      lines = number;
      return Status::Ok();
    }));
    return Status::InvalidInput(path + ": line " + std::to_string(lines) + " does not end in a newline (truncated?)");
  }
  std::optional<Sha256Digest> declared_root;
  uint64_t declared = 0;
  std::string previous_id;
  MerkleRootBuilder hashes;
  ASSAY_RETURN_IF_ERROR(ForEachParsedLine<OpeningLine>(
      file, kMaxTranscriptOpeningLineBytes, ParseOpeningLine, [&](uint64_t line_number, OpeningLine line) -> Status {
        if (line_number == 1) {
          declared_root = line.root;
          declared = line.declared;
          return Status::Ok();
        }
        if (line_number > 2 && !(previous_id < line.leaf.id)) {
          return Status::InvalidInput("sample " + QuoteUntrusted(line.leaf.id) +
                                      (previous_id == line.leaf.id ? " is there twice" : " is out of id order") +
                                      " (an opening lists its samples once each, in id order)");
        }
        previous_id = line.leaf.id;
        hashes.Add(line.leaf.hash);
        return take(std::move(line.leaf), line.scores);
      }));
  if (hashes.size() != declared) {
    return Status::CheckFailed(path + ": the header says " + std::to_string(declared) + " samples but " +
                               std::to_string(hashes.size()) + " follow (truncated or extended?)");
  }
  if (hashes.size() == 0) return Status::InvalidInput(path + ": the transcript has no samples");
  root = hashes.Root();
  if (root != *declared_root) {
    return Status::CheckFailed(path + ": the samples do not hash to the root in its header (a sample was edited)");
  }
  return Status::Ok();
}

// An opening held in memory, read through the same seam as one on disk.
class TextFile final : public RandomAccessFile {
 public:
  TextFile(std::string_view text, std::string path) : text_(text), path_(std::move(path)) {}
  Status ReadExactly(uint64_t offset, std::span<uint8_t> out) const override {
    if (offset > text_.size() || out.size() > text_.size() - offset) return Status::IoError(path_ + ": read past the end");
    std::memcpy(out.data(), text_.data() + offset, out.size());
    return Status::Ok();
  }
  uint64_t size() const override { return text_.size(); }
  const std::string& path() const override { return path_; }

 private:
  std::string_view text_;
  std::string path_;
};

}  // namespace

Result<Transcript> ParseTranscriptOpening(std::string_view text, const std::string& path) {
  Transcript transcript;
  ASSAY_RETURN_IF_ERROR(ForEachOpenedLeaf(
      TextFile(text, path),
      [&](TranscriptLeaf leaf, const EvalSample&) {
        transcript.leaves.push_back(std::move(leaf));
        return Status::Ok();
      },
      transcript.root));
  return transcript;
}

Result<Transcript> ReadTranscriptOpening(FileSystem& fs, const std::string& path) {
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(fs, path, kMaxTranscriptOpeningBytes));
  return ParseTranscriptOpening(text, path);
}

Result<ScannedTranscript> ScanTranscriptOpening(FileSystem& fs, const std::string& path, bool with_digests) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, fs.OpenForRead(path));
  ScannedTranscript scanned{.root = {}, .scored = ScoredSamples(with_digests)};
  ASSAY_RETURN_IF_ERROR(ForEachOpenedLeaf(
      *file, [&](TranscriptLeaf, const EvalSample& scores) { return scanned.scored.Add(scores); }, scanned.root));
  return scanned;
}

}  // namespace assay
