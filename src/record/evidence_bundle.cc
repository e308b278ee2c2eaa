#include "record/evidence_bundle.h"

#include "json/strict_json.h"

namespace assay {
namespace {

constexpr char kKeysMember[] = "assayBundleKeys";

}  // namespace

std::string FormatEvidenceBundle(const EvidenceBundle& bundle) {
  std::string text;
  for (std::string_view envelope : bundle.envelopes) {
    // The ledger stores an envelope with its line end; a bundle line has one.
    while (envelope.ends_with('\n')) envelope.remove_suffix(1);
    text += std::string(envelope) + "\n";
  }
  return text + nlohmann::json{{kKeysMember, bundle.keys.Serialize()}}.dump() + "\n";
}

Result<EvidenceBundle> ParseEvidenceBundle(std::string_view text) {
  EvidenceBundle bundle;
  bool keys_seen = false;
  size_t number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    const std::string where = "line " + std::to_string(++number) + ": ";
    if (line.empty()) continue;
    Result<nlohmann::json> parsed = ParseStrictJson(line);
    if (!parsed.ok()) return Status::InvalidInput(where + parsed.status().message());
    if (keys_seen) return Status::InvalidInput(where + "nothing may follow the keys line");
    if (parsed->is_object() && parsed->contains("payloadType")) {
      bundle.envelopes.emplace_back(line);
    } else if (parsed->is_object() && parsed->size() == 1 && parsed->contains(kKeysMember) &&
               (*parsed)[kKeysMember].is_string()) {
      Result<TrustFile> keys = TrustFile::Parse((*parsed)[kKeysMember].get<std::string>());
      if (!keys.ok()) return Status::InvalidInput(where + "keys: " + keys.status().message());
      bundle.keys = std::move(keys).value();
      keys_seen = true;
    } else {
      return Status::InvalidInput(where + "neither a DSSE envelope nor the {\"" + kKeysMember + "\": ...} line");
    }
  }
  if (bundle.envelopes.empty()) return Status::InvalidInput("no records: not an evidence bundle");
  if (!keys_seen) return Status::InvalidInput("no {\"assayBundleKeys\": ...} line: truncated bundle?");
  return bundle;
}

}  // namespace assay
