#include "render/audit_render.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "render/config_render.h"
#include "render/model_render.h"
#include "render/signers.h"
#include "render/text.h"

namespace assay {
namespace {

using nlohmann::json;

// --- diff ---------------------------------------------------------------

// Documentation and the like: README.md, LICENSE, .gitattributes.
bool IsOtherFile(const FileDifference& file) { return !ChangesTheModel(file.path); }

std::string TensorCounts(const ManifestDiff& diff) {
  size_t changed = 0, added = 0, removed = 0;
  for (const TensorDifference& tensor : diff.tensors) {
    (tensor.change == Change::kAdded ? added : tensor.change == Change::kRemoved ? removed : changed)++;
  }
  std::vector<std::string> parts;
  if (changed) parts.push_back(Plural(changed, "tensor") + " changed");
  if (added) parts.push_back(Plural(added, "tensor") + " added");
  if (removed) parts.push_back(Plural(removed, "tensor") + " removed");
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : ", ") + part;
  return text.empty() ? "the weights roots differ" : text;
}

// Why the tensors could not be compared, naming the side at fault.
std::string UndeterminedReason(const ResolvedModel& a, const ResolvedModel& b) {
  for (const ResolvedModel* side : {&a, &b}) {
    if (side->kind == ModelReferenceKind::kLfsCheckout) {
      return std::string(side == &a ? "A" : "B") +
             " is an LFS pointer checkout, whose pointers give file digests, not tensors";
    }
  }
  for (const ResolvedModel* side : {&a, &b}) {
    if (!side->view.manifest.has_tensor_digests) {
      return std::string(side == &a ? "A" : "B") + " was recorded without tensor digests";
    }
  }
  return "a weight format whose tensors are not itemised (e.g. pytorch_model.bin)";
}

bool HasWeightFiles(const ResolvedModel& side) {
  for (const FileRecord& file : side.view.manifest.files) {
    if (file.format != WeightFormat::kOther || IsOpaqueWeightFile(file.path)) return true;
  }
  return false;
}

std::string WeightsPhrase(const ModelComparison& comparison) {
  const ModelDiff& diff = comparison.diff;
  switch (diff.weights) {
    case WeightsVerdict::kSame:
      if (!HasWeightFiles(comparison.a) && !HasWeightFiles(comparison.b)) return "no weight files on either side";
      return "same weights";
    case WeightsVerdict::kResharded:
      return "same weights, re-sharded: weight files differ, every tensor is equal";
    case WeightsVerdict::kChanged:
      return "weights changed: " + TensorCounts(diff.manifest);
    case WeightsVerdict::kUndetermined:
      break;
  }
  return "weight files differ, tensors not compared: " + UndeterminedReason(comparison.a, comparison.b);
}

std::string ConfigPhrase(const ConfigDiff& configs) {
  std::string identity, others;
  for (const ConfigFileDifference& file : configs.files) {
    if (!file.IdentityChanged()) {
      others += (others.empty() ? "" : ", ") + file.path;
      continue;
    }
    std::string keys;
    for (const ConfigKeyDifference& key : file.keys) {
      if (key.identity) keys += (keys.empty() ? "" : ", ") + key.key;
    }
    identity += (identity.empty() ? "" : "; ") + file.path + " " + keys;
  }
  std::string phrase;
  if (!identity.empty()) phrase = "identity keys changed: " + identity;
  if (!others.empty()) phrase += (phrase.empty() ? "config files differ: " : "; other config files differ: ") + others;
  return phrase;
}

std::string DiffSummary(const ModelComparison& comparison) {
  const ModelDiff& diff = comparison.diff;
  if (diff.identical()) return "identical: the same " + Plural(comparison.b.view.manifest.files.size(), "file");
  std::string summary = WeightsPhrase(comparison);
  if (!diff.configs.empty()) summary += "; " + ConfigPhrase(diff.configs);
  const size_t others =
      static_cast<size_t>(std::count_if(diff.manifest.files.begin(), diff.manifest.files.end(), IsOtherFile));
  if (others) summary += "; " + Plural(others, "other file") + " differ" + (others == 1 ? "s" : "");
  return summary;
}

// Why a record's signatures do not count, or "" when they do or it is unsigned.
std::string SignatureProblem(const CheckedRecord& record) {
  if (record.counts() || record.standing == RecordStanding::kUnsigned) return "";
  return record.problem;
}

std::string DiffSideText(const char* name, const ResolvedModel& side) {
  std::string line = std::string(ModelReferenceKindName(side.kind)) + " " + side.argument;
  if (side.record) {
    const ModelIdentity& identity = side.model->identity;
    line += ": " + identity.name + (identity.revision ? " @ " + *identity.revision : "") + ", record " +
            side.record->id.substr(0, 16);
  } else if (side.kind == ModelReferenceKind::kLfsCheckout) {
    line += ": " + Plural(side.view.manifest.files.size(), "file") + ", " + Plural(side.pointers, "LFS pointer");
  }
  std::string text = Format("%-10s %s\n", name, line);
  if (side.record) {
    const CheckedRecord& record = *side.record;
    if (!side.note.empty()) text += Format("           note: %s\n", side.note);
    if (record.standing == RecordStanding::kUnsigned) text += "           signed by nobody: an unsigned statement\n";
    if (std::string problem = SignatureProblem(record); !problem.empty()) {
      text += Format("           signature NOT VERIFIED: %s\n", problem);
    }
    if (record.counts()) {
      for (const RecordSigner& signer : record.signers) {
        text += Format("           signed by %s\n", DescribeRecordSigner(signer));
      }
      for (const std::string& reason : record.refused) text += Format("           not counted: %s\n", reason);
    }
  }
  if (!side.view.tensors_known) text += "           weights root unknown: pointers give file digests, not tensors\n";
  for (const WeightsRootRecord& root : side.view.manifest.weights_roots) {
    text += Format("           weights %s\n             %s\n", WeightsRootKind(root), ToHex(root.root));
  }
  return text;
}

json NameAndRevisionJson(const ModelIdentity& identity) {
  return {{"name", identity.name}, {"revision", identity.revision ? json(*identity.revision) : json(nullptr)}};
}

json SignersJson(const CheckedRecord& record) {
  json signers = json::array();
  if (record.counts()) {
    for (const RecordSigner& signer : record.signers) signers.push_back(RecordSignerJson(signer));
  }
  return signers;
}

json DiffSideJson(const ResolvedModel& side) {
  json roots = json::array();
  for (const WeightsRootRecord& root : side.view.manifest.weights_roots) {
    roots.push_back({{"format", WeightFormatName(root.format)}, {"root", ToHex(root.root)}, {"tensorCount", root.tensor_count}});
  }
  json out = {{"kind", ModelReferenceKindName(side.kind)},
              {"source", side.argument},
              {"files", side.view.manifest.files.size()},
              {"tensorsKnown", side.view.tensors_known},
              {"weightsRoots", roots},
              {"recordId", nullptr},
              {"model", nullptr},
              {"signature", nullptr}};
  if (side.kind == ModelReferenceKind::kLfsCheckout) out["pointers"] = side.pointers;
  if (side.record) {
    const CheckedRecord& record = *side.record;
    const bool unsigned_statement = record.standing == RecordStanding::kUnsigned;
    const std::string problem = SignatureProblem(record);
    out["recordId"] = record.id;
    out["model"] = NameAndRevisionJson(side.model->identity);
    out["signature"] = {{"unsigned", unsigned_statement},
                        {"verified", !unsigned_statement && problem.empty()},
                        {"problem", problem.empty() ? json(nullptr) : json(problem)},
                        {"signers", SignersJson(record)}};
  }
  return out;
}

// --- compare-transcripts ------------------------------------------------

constexpr size_t kExcerptBytes = 100;     // per response on the terminal
constexpr size_t kJsonTextBytes = 10000;  // per response in --json

// Where the text starts to be worth showing: a few bytes before the first
// byte where `text` and `other` differ, when they share a long beginning
// (otherwise two long answers would show as the same excerpt). Always at a
// UTF-8 character boundary.
size_t ExcerptStart(const std::string& text, const std::string& other) {
  constexpr size_t kSharedShown = 20;
  const size_t shared =
      std::mismatch(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(text.size(), other.size())),
                    other.begin())
          .first -
      text.begin();
  if (shared <= 2 * kSharedShown) return 0;
  size_t start = shared - kSharedShown;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  return start;
}

// At most `max_bytes` of `text`, cut at a UTF-8 character boundary, "…" marking a cut.
std::string CutText(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "\u2026";
}

// One line for the terminal, from byte `start` (marked "…" when not 0), with
// control characters shown as escapes.
std::string Excerpt(const std::string& text, size_t start) {
  std::string line = start > 0 ? "\"\u2026" : "\"";
  for (char c : CutText(text.substr(start), kExcerptBytes)) {
    if (c == '\n') {
      line += "\\n";
    } else if (c == '\t') {
      line += "\\t";
    } else if (c == '\r') {
      line += "\\r";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      line += '?';
    } else {
      line += c;
    }
  }
  return line + "\"";
}

// "q1, q2, q3 and 7 more".
std::string IdList(const std::vector<std::string>& ids) {
  constexpr size_t kShown = 5;
  std::string text;
  for (size_t i = 0; i < ids.size() && i < kShown; ++i) text += (i ? ", " : "") + ids[i];
  if (ids.size() > kShown) text += " and " + std::to_string(ids.size() - kShown) + " more";
  return text;
}

std::string PercentText(double fraction) {
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", 100 * fraction);
  return text;
}

std::string DescribeTranscriptSide(const TranscriptSide& side) {
  return side.label + ": " + side.format + (side.model.empty() ? "" : ", model " + side.model) + ", " +
         Plural(side.samples.size(), "sample") +
         (side.decoding == Decoding::kUnknown ? "" : ", " + std::string(DecodingName(side.decoding)) + " decoding");
}

json WordsJson(const std::vector<OneSidedWord>& words, uint64_t count, uint64_t significant) {
  json list = json::array();
  for (const OneSidedWord& word : words) {
    list.push_back({{"word", word.word},
                    {"samples", word.samples},
                    {"occurrences", word.occurrences},
                    {"pValue", word.p_value},
                    {"significant", word.significant}});
  }
  return {{"count", count}, {"significant", significant}, {"words", std::move(list)}};
}

json TranscriptSideJson(const TranscriptSide& side, const std::vector<std::string>& files) {
  return {{"files", files},
          {"format", side.format},
          {"model", side.model},
          {"samples", side.samples.size()},
          {"decoding", DecodingName(side.decoding)}};
}

json OptionalNumber(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

json VerdictJson(const TranscriptComparison& comparison) {
  const SameModelVerdict& verdict = comparison.verdict;
  return {{"finding", FindingName(verdict.finding)},
          {"text", FindingText(verdict.finding)},
          {"reason", verdict.reason},
          {"test", verdict.test.empty() ? json(nullptr) : json(verdict.test)},
          {"decoding", DecodingName(verdict.decoding)},
          {"decodingFrom", comparison.decoding_source},
          {"alpha", kSameModelAlpha},
          {"prompts", verdict.prompts},
          {"statistic", verdict.test.empty() ? json(nullptr) : json(verdict.statistic)},
          {"pValue", OptionalNumber(verdict.p_value)},
          {"low", OptionalNumber(verdict.low)},
          {"high", OptionalNumber(verdict.high)},
          {"baselineRate", OptionalNumber(verdict.baseline_rate)},
          {"pooled", OptionalNumber(verdict.pooled)}};
}

std::string VerdictText(const TranscriptComparison& comparison) {
  const SameModelVerdict& verdict = comparison.verdict;
  // Wrapped after Format, which shows the reason's bytes printable, so the
  // line ends it adds survive.
  std::string text = Wrapped(Format("verdict     %s: %s", FindingText(verdict.finding), verdict.reason), 80, 12) + "\n";
  if (!verdict.test.empty()) {
    text += Format("test        %s, %s, %s decoding (from %s), alpha 0.01\n", verdict.test,
                   Plural(verdict.prompts, "prompt"), DecodingName(verdict.decoding), comparison.decoding_source);
  }
  return text;
}

// Fractions that mean nothing when no sample was compared are null.
json Fraction(const TranscriptComparison& comparison, double value) {
  return comparison.compared == 0 ? json(nullptr) : json(value);
}

std::string WordsText(const char* user, const char* other, const std::vector<OneSidedWord>& words, uint64_t count,
                      uint64_t min_samples, uint64_t significant) {
  std::string text = Format("\nwords %s uses and %s never does (in >= %s): %" PRIu64 "%s; %" PRIu64
                            " significant\n",
                            user, other, Plural(min_samples, "sample"), count,
                            words.size() < count ? (", the first " + std::to_string(words.size()) + " shown") : "",
                            significant);
  for (const OneSidedWord& word : words) {
    text += Format("  %-20s %s, %s, p %s%s\n", word.word, Plural(word.samples, "sample"),
                   Plural(word.occurrences, "time"), PValueText(word.p_value), word.significant ? " significant" : "");
  }
  return text;
}

// --- lineage ------------------------------------------------------------

json LineageMatchJson(const LineageMatch& match, const LineageModel& known) {
  json renamed = json::array();
  for (const auto& [model_name, known_name] : match.renamed) renamed.push_back({{"model", model_name}, {"record", known_name}});
  return {{"record", known.label},
          {"recordId", known.record_id.empty() ? json(nullptr) : json(known.record_id)},
          {"source", known.source},
          {"signature", known.signature},
          {"finding", LineageFinding(match)},
          {"sameWeights", match.SameWeights()},
          {"modelTensors", match.model_tensors},
          {"modelBytes", match.model_bytes},
          {"identicalTensors", match.identical_tensors},
          {"identicalBytes", match.identical_bytes},
          {"identicalRoles", match.identical_roles},
          {"differingRoles", match.differing_roles},
          {"identical", match.identical},
          {"differing", match.differing},
          {"onlyInModel", match.only_in_model},
          {"onlyInRecord", match.only_in_known},
          {"renamed", renamed}};
}

std::string LineageMatchText(const LineageMatch& match, const LineageModel& known) {
  std::string text = Format("\nagainst    %s%s\n", known.label,
                            known.record_id.empty() ? "" : " (record " + known.record_id.substr(0, 16) + ")");
  if (!known.signature.empty()) text += Format("           %s\n", known.signature);
  text += Format("  finding    %s\n", LineageFinding(match));
  if (match.identical_tensors > 0 && !match.SameWeights()) text += Format("  identical  %s\n", match.identical_roles);
  if (!match.differing.empty()) text += Format("  differ     %zu: %s\n", match.differing.size(), match.differing_roles);
  if (!match.only_in_model.empty()) {
    text += Format("  only here  %zu: %s\n", match.only_in_model.size(), match.only_in_model_roles);
  }
  if (!match.only_in_known.empty()) text += Format("  only there %zu tensors\n", match.only_in_known.size());
  if (!match.renamed.empty()) {
    text += Format("  renamed    %zu tensors hold bytes the record has under another name (first: %s = %s)\n",
                   match.renamed.size(), match.renamed[0].first, match.renamed[0].second);
  }
  return text;
}

// --- forensics ----------------------------------------------------------

// "4", "> 32" (saturated), "full 16", "-" (not measured, or a vector).
std::string RankText(const TensorForensics& tensor, uint32_t max_rank) {
  if (!tensor.measured || std::min(tensor.rows, tensor.cols) == 1) return "-";  // vectors have no rank to speak of
  if (tensor.rank.saturated) return "> " + std::to_string(max_rank);
  if (tensor.rank_exact && tensor.rank.rank == std::min(tensor.rows, tensor.cols) && tensor.rank.rank > 0) {
    return "full " + std::to_string(tensor.rank.rank);
  }
  return std::to_string(tensor.rank.rank);
}

std::string NumberText(const std::optional<double>& value, const char* format) {
  if (!value) return "-";
  char text[32];
  std::snprintf(text, sizeof text, format, *value);
  return text;
}

json OptionalJson(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

json TensorForensicsJson(const TensorForensics& tensor) {
  json out = {{"name", tensor.name},
              {"format", WeightFormatName(tensor.format)},
              {"verdict", TensorVerdictName(tensor.verdict)},
              {"dtypeA", tensor.dtype_a.empty() ? json(nullptr) : json(tensor.dtype_a)},
              {"dtypeB", tensor.dtype_b.empty() ? json(nullptr) : json(tensor.dtype_b)},
              {"shapeA", tensor.shape_a},
              {"shapeB", tensor.shape_b}};
  if (!tensor.reason.empty()) out["reason"] = tensor.reason;
  if (!tensor.measured) return out;
  out["matrix"] = {tensor.rows, tensor.cols};
  out["maxAbsDifference"] = tensor.max_abs_difference;
  out["relativeChange"] = OptionalJson(tensor.relative_change);
  out["cosineSimilarity"] = OptionalJson(tensor.cosine_similarity);
  out["nonfiniteElements"] = tensor.nonfinite_elements;
  out["noiseFloor"] = tensor.noise_floor;
  out["rank"] = {{"value", tensor.rank.saturated ? json(nullptr) : json(tensor.rank.rank)},
                 {"countedAbove", tensor.rank.rank},
                 {"saturated", tensor.rank.saturated},
                 {"exact", tensor.rank_exact},
                 {"threshold", tensor.rank.threshold},
                 {"singularValues", tensor.rank.singular_values}};
  return out;
}

// --- verify lfs ---------------------------------------------------------

// The checkout's view, as verify model words it: "removed" from the record means missing.
std::string_view CheckoutWord(LfsFileState state) {
  switch (state) {
    case LfsFileState::kAdded:
      return "extra";
    case LfsFileState::kRemoved:
      return "missing";
    default:
      return LfsFileStateName(state);
  }
}

std::string ShortDigest(const std::optional<Sha256Digest>& digest) {
  return digest ? ToHex(*digest).substr(0, 16) + "..." : "?";
}

std::string SizeText(const std::optional<uint64_t>& size) { return size ? std::to_string(*size) : "?"; }

std::string DescribeCheckoutFile(const LfsFileCheck& file) {
  std::string text = file.path + (file.pointer ? " (pointer)" : "");
  switch (file.state) {
    case LfsFileState::kChanged:
      return text + ": sha256 " + ShortDigest(file.record_sha256) + " -> " + ShortDigest(file.checkout_sha256) +
             ", " + SizeText(file.record_size) + " -> " + SizeText(file.checkout_size) + " bytes";
    case LfsFileState::kSizeDiffers:
      return text + ": same sha256, " + SizeText(file.record_size) + " -> " + SizeText(file.checkout_size) + " bytes";
    default:
      return text;
  }
}

json CheckoutSideJson(const std::optional<Sha256Digest>& digest, const std::optional<uint64_t>& size) {
  if (!digest) return nullptr;
  return {{"sha256", ToHex(*digest)}, {"size", size ? json(*size) : json(nullptr)}};
}

std::string LfsResultLine(const LfsVerification& verification) {
  const LfsAudit& audit = verification.audit;
  const size_t differing = audit.files.size() - audit.Count(LfsFileState::kSame);
  if (differing == 0) {
    return "every file matches the record (" + Plural(verification.pointers, "pointer") + ", " +
           Plural(audit.files.size() - verification.pointers, "file") + " hashed)";
  }
  if (audit.ModelChanged()) return "DIFFERS: weight or config files are not the ones recorded";
  return "weights and configs match the record; " + std::to_string(differing) +
         " other file(s) differ (documentation, not the model)";
}

}  // namespace

std::string RenderText(const ModelComparison& comparison) {
  const ModelDiff& diff = comparison.diff;
  std::string text = Format("summary    %s\n", DiffSummary(comparison));
  text += DiffSideText("A", comparison.a);
  text += DiffSideText("B", comparison.b);
  for (const FileDifference& file : diff.manifest.files) {
    text += Format("file   %-8s %s\n", std::string(ChangeName(file.change)), file.path);
  }
  for (const TensorDifference& tensor : diff.manifest.tensors) {
    text += Format("tensor %-8s %s\n", std::string(ChangeName(tensor.change)), DescribeTensor(tensor));
  }
  for (const ConfigFileDifference& file : diff.configs.files) text += ConfigFileText(file);
  return text;
}

json RenderJson(const ModelComparison& comparison) {
  const ModelDiff& diff = comparison.diff;
  json files = json::array();
  for (const FileDifference& file : diff.manifest.files) {
    json entry = {{"path", file.path}, {"change", ChangeName(file.change)}, {"weightFile", IsWeightFile(file.path)}};
    if (file.size_before) entry["sizeBefore"] = *file.size_before;
    if (file.size_after) entry["sizeAfter"] = *file.size_after;
    files.push_back(std::move(entry));
  }
  json tensors = json::array();
  for (const TensorDifference& tensor : diff.manifest.tensors) {
    json entry = {{"name", tensor.name},           {"format", WeightFormatName(tensor.format)},
                  {"change", ChangeName(tensor.change)}, {"dtypeChanged", tensor.dtype_changed},
                  {"shapeChanged", tensor.shape_changed}, {"bytesChanged", tensor.bytes_changed}};
    if (tensor.change != Change::kAdded) {
      entry["before"] = {{"file", tensor.file_before}, {"dtype", tensor.dtype_before}, {"shape", tensor.shape_before}};
    }
    if (tensor.change != Change::kRemoved) {
      entry["after"] = {{"file", tensor.file_after}, {"dtype", tensor.dtype_after}, {"shape", tensor.shape_after}};
    }
    tensors.push_back(std::move(entry));
  }
  return {{"summary", DiffSummary(comparison)},
          {"identical", diff.identical()},
          {"weights", WeightsVerdictName(diff.weights)},
          {"tensorsCompared", diff.tensors_compared},
          {"identityKeysChanged", diff.configs.IdentityChanged()},
          {"a", DiffSideJson(comparison.a)},
          {"b", DiffSideJson(comparison.b)},
          {"files", files},
          {"tensors", tensors},
          {"configs", ConfigDiffJson(diff.configs)}};
}

std::string RenderText(const TranscriptsComparison& transcripts) {
  const TranscriptComparison& comparison = transcripts.comparison;
  std::string text = Format("A           %s\n", DescribeTranscriptSide(transcripts.a));
  text += Format("B           %s\n", DescribeTranscriptSide(transcripts.b));
  if (transcripts.baseline) text += Format("baseline    %s\n", DescribeTranscriptSide(*transcripts.baseline));
  text += VerdictText(comparison);
  if (!comparison.different_prompts.empty()) {
    text += Format("different   %s with the same id and a different prompt: %s\n",
                   Plural(comparison.different_prompts.size(), "sample"), IdList(comparison.different_prompts));
  }
  if (!comparison.only_in_a.empty()) {
    text += Format("only in A   %s: %s\n", Plural(comparison.only_in_a.size(), "sample"), IdList(comparison.only_in_a));
  }
  if (!comparison.only_in_b.empty()) {
    text += Format("only in B   %s: %s\n", Plural(comparison.only_in_b.size(), "sample"), IdList(comparison.only_in_b));
  }
  if (comparison.compared == 0) {
    return text + "compared    0 samples: no id holds the same prompt on both sides\n";
  }
  text += Format("compared    %s with the same id and prompt\n", Plural(comparison.compared, "sample"));
  text += Format("exact       %" PRIu64 " of %" PRIu64 " (%s) equal after trimming white space; %" PRIu64
                 " byte-identical\n",
                 comparison.exact_matches, comparison.compared, PercentText(comparison.ExactMatchRate()),
                 comparison.identical_outputs);
  text += Format("similarity  mean %.3f, median %.3f (word overlap, 0 to 1)\n", comparison.mean_similarity,
                 comparison.median_similarity);
  text += Format("length      A %.1f, B %.1f words per answer\n", comparison.a_mean_words, comparison.b_mean_words);
  const uint64_t differing = comparison.compared - comparison.exact_matches;
  if (!comparison.most_different.empty()) {
    text += Format("\nmost different, least similar first (%zu of %" PRIu64 " that differ)\n",
                   comparison.most_different.size(), differing);
    for (const SampleDifference& sample : comparison.most_different) {
      // Both excerpts start at the same byte: the two texts are equal before it.
      const size_t start = ExcerptStart(sample.a_text, sample.b_text);
      text += Format("  %s  %.3f\n    A %s\n    B %s\n", sample.id, sample.similarity, Excerpt(sample.a_text, start),
                     Excerpt(sample.b_text, start));
    }
  }
  text += WordsText("A", "B", comparison.words_only_in_a, comparison.words_only_in_a_count, comparison.min_samples,
                    comparison.significant_words_only_in_a);
  text += WordsText("B", "A", comparison.words_only_in_b, comparison.words_only_in_b_count, comparison.min_samples,
                    comparison.significant_words_only_in_b);
  return text;
}

json RenderJson(const TranscriptsComparison& transcripts) {
  const TranscriptComparison& comparison = transcripts.comparison;
  json most_different = json::array();
  for (const SampleDifference& sample : comparison.most_different) {
    most_different.push_back({{"id", sample.id},
                              {"similarity", sample.similarity},
                              {"a", CutText(sample.a_text, kJsonTextBytes)},
                              {"b", CutText(sample.b_text, kJsonTextBytes)}});
  }
  return {{"a", TranscriptSideJson(transcripts.a, transcripts.a_files)},
          {"b", TranscriptSideJson(transcripts.b, transcripts.b_files)},
          {"baseline", transcripts.baseline ? TranscriptSideJson(*transcripts.baseline, transcripts.baseline_files)
                                            : json(nullptr)},
          {"verdict", VerdictJson(comparison)},
          {"compared", comparison.compared},
          {"differentPrompts", comparison.different_prompts},
          {"onlyInA", comparison.only_in_a},
          {"onlyInB", comparison.only_in_b},
          {"identicalOutputs", comparison.identical_outputs},
          {"exactMatches", comparison.exact_matches},
          {"exactMatchRate", Fraction(comparison, comparison.ExactMatchRate())},
          {"meanSimilarity", Fraction(comparison, comparison.mean_similarity)},
          {"medianSimilarity", Fraction(comparison, comparison.median_similarity)},
          {"meanWords", {{"a", Fraction(comparison, comparison.a_mean_words)},
                         {"b", Fraction(comparison, comparison.b_mean_words)}}},
          {"mostDifferent", std::move(most_different)},
          {"minSamples", comparison.min_samples},
          {"wordsOnlyInA", WordsJson(comparison.words_only_in_a, comparison.words_only_in_a_count,
                                     comparison.significant_words_only_in_a)},
          {"wordsOnlyInB", WordsJson(comparison.words_only_in_b, comparison.words_only_in_b_count,
                                     comparison.significant_words_only_in_b)}};
}

std::string RenderText(const LineageReport& report) {
  const LineageModel& model = report.model;
  std::string text = Format("model      %s (%" PRIu64 " tensors)\n", model.label, model.manifest.TensorCount());
  if (!model.signature.empty()) text += Format("           %s\n", model.signature);
  const LineageMatch& best = report.matches.front();
  if (best.identical_bytes * 100 >= best.model_bytes && best.identical_tensors > 0) {
    text += Format("closest    %s: %s\n", report.known[best.known_index].label, LineageFinding(best));
  } else {
    text += Format("closest    none: no record shares 1%% or more of the bytes (%zu compared)\n", report.known.size());
  }
  for (const LineageMatch& match : report.matches) text += LineageMatchText(match, report.known[match.known_index]);
  return text;
}

json RenderJson(const LineageReport& report) {
  const LineageModel& model = report.model;
  json matches = json::array();
  for (const LineageMatch& match : report.matches) matches.push_back(LineageMatchJson(match, report.known[match.known_index]));
  return {{"model",
           {{"label", model.label},
            {"source", model.source},
            {"recordId", model.record_id.empty() ? json(nullptr) : json(model.record_id)},
            {"signature", model.signature},
            {"tensors", model.manifest.TensorCount()}}},
          {"matches", matches}};
}

std::string RenderText(const WeightsForensics& forensics) {
  const ForensicsReport& report = forensics.report;
  const ForensicsSummary& summary = forensics.summary;
  std::string text = Format("A          %s\n", forensics.folder_a);
  text += Format("B          %s\n", forensics.folder_b);
  text += Format("verdict    %s\n", summary.verdict);
  text += Format("summary    %s\n", summary.sentence);
  for (const ForensicsGroup& group : summary.groups) {
    std::string what(TensorVerdictName(group.verdict));
    if (group.verdict == TensorVerdict::kLowRank) what += " (rank <= " + std::to_string(group.max_rank) + ")";
    text += Format("  %-22s %5zu tensor%s  %s\n", what, group.tensors.size(), group.tensors.size() == 1 ? " " : "s",
                   group.roles);
  }
  size_t identical = 0;
  bool header = false;
  for (const TensorForensics& tensor : report.tensors) {
    if (tensor.verdict == TensorVerdict::kIdentical) {
      ++identical;
      continue;
    }
    if (!header) {
      text += Format("\n%-48s %-14s %-8s %-10s %-9s %s\n", "tensor", "verdict", "rank", "rel.change", "cosine",
                     "max|B-A|");
      header = true;
    }
    text += Format("%-48s %-14s %-8s %-10s %-9s %s\n", tensor.name, std::string(TensorVerdictName(tensor.verdict)),
                   RankText(tensor, report.options.max_rank), NumberText(tensor.relative_change, "%.3g"),
                   NumberText(tensor.cosine_similarity, "%.6f"),
                   tensor.measured ? NumberText(tensor.max_abs_difference, "%.3g") : "-");
    if (tensor.verdict == TensorVerdict::kShapeChanged) {
      text += Format("    shape %s -> %s\n", ShapeText(tensor.shape_a), ShapeText(tensor.shape_b));
    } else if (!tensor.reason.empty()) {
      text += Format("    %s\n", tensor.reason);
    } else if (tensor.measured && tensor.dtype_a != tensor.dtype_b) {
      text += Format("    dtype %s -> %s\n", tensor.dtype_a, tensor.dtype_b);
    }
    if (tensor.nonfinite_elements > 0) {
      text += Format("    %" PRIu64 " NaN or infinite elements left out\n", tensor.nonfinite_elements);
    }
  }
  if (identical > 0) text += Format("%s(%zu identical tensors not listed)\n", header ? "" : "\n", identical);
  text += Format("\nrank       singular values of B - A above max(%g x the largest, the rounding noise of the dtypes);\n"
                 "           sketch of %u columns, \"> %u\" when it cannot bound the rank\n",
                 report.options.tolerance, report.options.max_rank + report.options.oversampling,
                 report.options.max_rank);
  text += Format("decoded    %s of tensors (%" PRIu64 " pair%s)\n", HumanBytes(report.bytes_read),
                 report.tensors_decoded, report.tensors_decoded == 1 ? "" : "s");
  return text;
}

json RenderJson(const WeightsForensics& forensics) {
  const ForensicsReport& report = forensics.report;
  const ForensicsSummary& summary = forensics.summary;
  json groups = json::array();
  for (const ForensicsGroup& group : summary.groups) {
    json entry = {{"verdict", TensorVerdictName(group.verdict)}, {"tensors", group.tensors.size()},
                  {"roles", group.roles}};
    if (group.verdict == TensorVerdict::kLowRank) entry["maxRank"] = group.max_rank;
    groups.push_back(entry);
  }
  json tensors = json::array();
  for (const TensorForensics& tensor : report.tensors) tensors.push_back(TensorForensicsJson(tensor));
  return {{"a", forensics.folder_a},
          {"b", forensics.folder_b},
          {"verdict", summary.verdict},
          {"summary", summary.sentence},
          {"options",
           {{"tolerance", report.options.tolerance},
            {"maxRank", report.options.max_rank},
            {"oversampling", report.options.oversampling},
            {"seed", report.options.seed}}},
          {"bytesDecoded", report.bytes_read},
          {"groups", groups},
          {"tensors", tensors}};
}

std::string RenderText(const LfsVerification& verification) {
  const ResolvedModel& resolved = verification.record;
  const CheckedRecord& record = *resolved.record;
  const ModelIdentity& identity = resolved.model->identity;
  std::string text = Format("checkout   %s: %s, %s\n", verification.folder, Plural(verification.files, "file"),
                            Plural(verification.pointers, "LFS pointer"));
  text += Format("record     %s (%s)\n", record.id, resolved.where);
  if (!resolved.note.empty()) text += Format("note       %s\n", resolved.note);
  text += Format("model      %s%s\n", identity.name, identity.revision ? (" @ " + *identity.revision) : "");
  if (record.standing == RecordStanding::kUnsigned) {
    text += "signed by  nobody: an unsigned statement (--allow-unsigned)\n";
  }
  for (const RecordSigner& signer : record.signers) text += Format("signed by  %s\n", DescribeRecordSigner(signer));
  for (const std::string& reason : record.refused) text += Format("not counted: %s\n", reason);
  text += "weights    root not recomputed: pointers give file digests, not tensors; files compared by sha256 and size\n";
  for (const LfsFileCheck& file : verification.audit.files) {
    if (file.state == LfsFileState::kSame) continue;
    text += Format("file %-12s %s\n", std::string(CheckoutWord(file.state)), DescribeCheckoutFile(file));
  }
  text += Format("result     %s\n", LfsResultLine(verification));
  return text;
}

json RenderJson(const LfsVerification& verification) {
  const LfsAudit& audit = verification.audit;
  json files = json::array();
  for (const LfsFileCheck& file : audit.files) {
    files.push_back({{"path", file.path},
                     {"state", CheckoutWord(file.state)},
                     {"pointer", file.pointer},
                     {"changesModel", file.changes_model},
                     {"record", CheckoutSideJson(file.record_sha256, file.record_size)},
                     {"checkout", CheckoutSideJson(file.checkout_sha256, file.checkout_size)}});
  }
  return {{"checkout", verification.folder},
          {"pointers", verification.pointers},
          {"recordId", verification.record.record->id},
          {"model", NameAndRevisionJson(verification.record.model->identity)},
          {"signers", SignersJson(*verification.record.record)},
          {"matches", !audit.ModelChanged()},
          {"identical", audit.Count(LfsFileState::kSame) == audit.files.size()},
          {"weightsRootChecked", false},
          {"files", files}};
}

}  // namespace assay
