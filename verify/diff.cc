// assay diff A B: what differs between two uploads of a model, each side a
// record file, a ledger reference, a folder (hashed now) or an LFS pointer
// checkout (verify/model_source.h). The one-line summary comes first: same
// weights, re-sharded, changed, or undetermined (and why), and which identity
// keys of the config changed; then the files, tensors and config keys.
// A report: exit 0 whether or not the sides differ (docs/usage.md says why).
#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "render/text.h"
#include "verify/model_source.h"

namespace assay::cli {
namespace {

using nlohmann::json;

struct DiffOptions {
  std::string a, b;
  LedgerOptions ledger;
  std::string trust_path;
  bool use_cache = false;
  bool json = false;
};

// Long values (a chat template, a tokenizer's merges) are cut for the terminal; --json has them whole.
constexpr size_t kMaxValueColumns = 200;

std::string ShortValue(const json& value) {
  std::string text = value.dump();
  if (text.size() > kMaxValueColumns) text = text.substr(0, kMaxValueColumns - 3) + "...";
  return text;
}

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
std::string UndeterminedReason(const ModelSide& a, const ModelSide& b) {
  for (const ModelSide* side : {&a, &b}) {
    if (side->kind == SideKind::kLfsCheckout) {
      return std::string(side == &a ? "A" : "B") +
             " is an LFS pointer checkout, whose pointers give file digests, not tensors";
    }
  }
  for (const ModelSide* side : {&a, &b}) {
    if (!side->view.manifest.has_tensor_digests) {
      return std::string(side == &a ? "A" : "B") + " was recorded without tensor digests";
    }
  }
  return "a weight format whose tensors are not itemised (e.g. pytorch_model.bin)";
}

std::string WeightsPhrase(const ModelDiff& diff, const ModelSide& a, const ModelSide& b) {
  switch (diff.weights) {
    case WeightsVerdict::kSame:
      return "same weights";
    case WeightsVerdict::kResharded:
      return "same weights, re-sharded: weight files differ, every tensor is equal";
    case WeightsVerdict::kChanged:
      return "weights changed: " + TensorCounts(diff.manifest);
    case WeightsVerdict::kUndetermined:
      break;
  }
  return "weight files differ, tensors not compared: " + UndeterminedReason(a, b);
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

std::string Summary(const ModelDiff& diff, const ModelSide& a, const ModelSide& b) {
  if (diff.identical()) return "identical: the same " + Plural(b.view.manifest.files.size(), "file");
  std::string summary = WeightsPhrase(diff, a, b);
  if (!diff.configs.empty()) summary += "; " + ConfigPhrase(diff.configs);
  const size_t others = static_cast<size_t>(std::count_if(diff.manifest.files.begin(), diff.manifest.files.end(), IsOtherFile));
  if (others) summary += "; " + Plural(others, "other file") + " differ" + (others == 1 ? "s" : "");
  return summary;
}

void PrintSide(const char* name, const ModelSide& side) {
  std::string line = std::string(SideKindName(side.kind)) + " " + side.argument;
  if (side.record) {
    const ModelIdentity& identity = side.record->record.identity;
    line += ": " + identity.name + (identity.revision ? " @ " + *identity.revision : "") + ", record " + side.record->id;
  } else if (side.kind == SideKind::kLfsCheckout) {
    line += ": " + Plural(side.view.manifest.files.size(), "file") + ", " + Plural(side.pointers, "LFS pointer");
  }
  Print("%-10s %s\n", name, line);
  if (side.record) {
    const LoadedRecord& record = *side.record;
    if (!record.note.empty()) Print("           note: %s\n", record.note);
    if (record.unsigned_statement) Print("           signed by nobody: an unsigned statement\n");
    if (!record.not_verified.empty()) Print("           signature NOT VERIFIED: %s\n", record.not_verified);
    for (const std::string& signer : record.signed_by) Print("           signed by %s\n", signer);
    for (const std::string& reason : record.refused) Print("           not counted: %s\n", reason);
  }
  if (!side.view.tensors_known) {
    Print("           weights root unknown: pointers give file digests, not tensors\n");
  }
  for (const WeightsRootRecord& root : side.view.manifest.weights_roots) {
    Print("           weights %s rfc6962-sha256:%s (%s)\n", std::string(WeightFormatName(root.format)),
                ToHex(root.root), Plural(root.tensor_count, "tensor"));
  }
}

std::string DescribeTensor(const TensorDifference& tensor) {
  const std::string& file = tensor.file_after.empty() ? tensor.file_before : tensor.file_after;
  std::string text = tensor.name + " (" + file + ")";
  if (tensor.change != Change::kChanged) return text;
  if (tensor.dtype_changed) text += " dtype " + tensor.dtype_before + " -> " + tensor.dtype_after;
  if (tensor.shape_changed) text += " shape " + ShapeText(tensor.shape_before) + " -> " + ShapeText(tensor.shape_after);
  if (tensor.bytes_changed) text += " bytes";
  return text;
}

void PrintConfigFile(const ConfigFileDifference& file) {
  std::string head = file.path + " " + std::string(ChangeName(file.change));
  if (file.change == Change::kChanged && !file.keys_known) {
    head += file.kind == ConfigFileKind::kOpaque ? " (compared by digest: not a JSON file)"
                                                 : " (digest only; give a folder to see keys)";
  }
  Print("config     %s\n", head);
  for (const ConfigKeyDifference& key : file.keys) {
    std::string value = key.change == Change::kAdded     ? ShortValue(key.after)
                        : key.change == Change::kRemoved ? ShortValue(key.before)
                                                         : ShortValue(key.before) + " -> " + ShortValue(key.after);
    Print("  key %-8s %s: %s%s\n", std::string(ChangeName(key.change)), key.key, value,
                key.identity ? "  [identity]" : "");
  }
}

void PrintDiff(const ModelDiff& diff, const ModelSide& a, const ModelSide& b) {
  Print("summary    %s\n", Summary(diff, a, b));
  PrintSide("A", a);
  PrintSide("B", b);
  for (const FileDifference& file : diff.manifest.files) {
    Print("file %-8s %s\n", std::string(ChangeName(file.change)), file.path);
  }
  for (const TensorDifference& tensor : diff.manifest.tensors) {
    Print("tensor %-7s %s\n", std::string(ChangeName(tensor.change)), DescribeTensor(tensor));
  }
  for (const ConfigFileDifference& file : diff.configs.files) PrintConfigFile(file);
}

json SideJson(const ModelSide& side) {
  json roots = json::array();
  for (const WeightsRootRecord& root : side.view.manifest.weights_roots) {
    roots.push_back({{"format", WeightFormatName(root.format)}, {"root", ToHex(root.root)}, {"tensorCount", root.tensor_count}});
  }
  json out = {{"kind", SideKindName(side.kind)},
              {"source", side.argument},
              {"files", side.view.manifest.files.size()},
              {"tensorsKnown", side.view.tensors_known},
              {"weightsRoots", roots},
              {"recordId", nullptr},
              {"model", nullptr},
              {"signature", nullptr}};
  if (side.kind == SideKind::kLfsCheckout) out["pointers"] = side.pointers;
  if (side.record) {
    const LoadedRecord& record = *side.record;
    out["recordId"] = record.id;
    const ModelIdentity& identity = record.record.identity;
    out["model"] = {{"name", identity.name}, {"revision", identity.revision ? json(*identity.revision) : json(nullptr)}};
    out["signature"] = {{"unsigned", record.unsigned_statement},
                        {"verified", !record.unsigned_statement && record.not_verified.empty()},
                        {"problem", record.not_verified.empty() ? json(nullptr) : json(record.not_verified)},
                        {"signers", record.signers}};
  }
  return out;
}

json DiffJson(const ModelDiff& diff, const ModelSide& a, const ModelSide& b) {
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
  json configs = json::array();
  for (const ConfigFileDifference& file : diff.configs.files) {
    json keys = json::array();
    for (const ConfigKeyDifference& key : file.keys) {
      json entry = {{"key", key.key}, {"change", ChangeName(key.change)}, {"identity", key.identity}};
      if (key.change != Change::kAdded) entry["before"] = key.before;
      if (key.change != Change::kRemoved) entry["after"] = key.after;
      keys.push_back(std::move(entry));
    }
    configs.push_back({{"path", file.path}, {"change", ChangeName(file.change)}, {"keysKnown", file.keys_known}, {"keys", keys}});
  }
  return {{"summary", Summary(diff, a, b)},
          {"identical", diff.identical()},
          {"weights", WeightsVerdictName(diff.weights)},
          {"tensorsCompared", diff.tensors_compared},
          {"identityKeysChanged", diff.configs.IdentityChanged()},
          {"a", SideJson(a)},
          {"b", SideJson(b)},
          {"files", files},
          {"tensors", tensors},
          {"configs", configs}};
}

Status RunDiff(const DiffOptions& options) {
  RecordTrust trust;
  trust.trust_path = options.trust_path;
  trust.report_only = true;
  ASSAY_ASSIGN_OR_RETURN(ModelSide a, LoadModelSide(options.a, options.ledger, trust, options.use_cache));
  ASSAY_ASSIGN_OR_RETURN(ModelSide b, LoadModelSide(options.b, options.ledger, trust, options.use_cache));
  ModelDiff diff = DiffModels(a.view, b.view);
  if (options.json) {
    std::printf("%s\n", DiffJson(diff, a, b).dump(2).c_str());
  } else {
    PrintDiff(diff, a, b);
  }
  for (const ModelSide* side : {&a, &b}) {
    if (side->record && !side->record->not_verified.empty()) {
      Warn(side->argument + ": signature not verified (" + side->record->not_verified + "); compared all the same");
    }
  }
  return Status::Ok();
}

}  // namespace

void AddDiffCommand(CLI::App& app, Status& outcome) {
  auto options = std::make_shared<DiffOptions>();
  CLI::App* command = app.add_subcommand("diff", "what differs between two uploads of a model: files, tensors, config");
  command->add_option("A", options->a, "a record file, ledger id or name@revision, model folder or LFS pointer checkout")
      ->required();
  command->add_option("B", options->b, "the same kinds as A")->required();
  AddLedgerOption(*command, options->ledger);
  command->add_option("--trust", options->trust_path, "trust file (env ASSAY_TRUST_FILE)");
  command->add_flag("--cache", options->use_cache, "let the hash cache answer for unchanged files of a folder");
  command->add_flag("--json", options->json, "print the result as JSON");
  command->callback([options, &outcome] { outcome = RunDiff(*options); });
}

}  // namespace assay::cli
