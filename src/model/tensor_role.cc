#include "model/tensor_role.h"

#include <algorithm>
#include <tuple>

namespace assay {
namespace {

std::vector<std::string_view> SplitDots(std::string_view name) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.', start)) {
    parts.push_back(name.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(name.substr(start));
  return parts;
}

// A layer number: digits only, short enough to be one.
std::optional<uint64_t> LayerNumber(std::string_view part) {
  constexpr size_t kMaxDigits = 9;
  if (part.empty() || part.size() > kMaxDigits) return std::nullopt;
  uint64_t value = 0;
  for (char c : part) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + uint64_t(c - '0');
  }
  return value;
}

std::string Join(const std::vector<std::string_view>& parts, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) out += '.';
    out += parts[i];
  }
  return out;
}

}  // namespace

std::string JoinWithAnd(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

bool TensorRole::operator<(const TensorRole& other) const {
  return std::tie(stack, layer, role) < std::tie(other.stack, other.layer, other.role);
}

TensorRole RoleOf(std::string_view tensor_name) {
  std::vector<std::string_view> parts = SplitDots(tensor_name);
  size_t end = parts.size();
  if (end > 1 && parts[end - 1] == "weight") --end;
  for (size_t i = 0; i < end; ++i) {
    std::optional<uint64_t> layer = LayerNumber(parts[i]);
    if (!layer) continue;
    TensorRole role{Join(parts, 0, i), layer, ""};
    std::vector<std::string_view> rest(parts.begin() + long(i) + 1, parts.begin() + long(end));
    for (std::string_view& part : rest) {
      if (LayerNumber(part)) part = "*";
    }
    role.role = rest.empty() ? "(layer)" : Join(rest, 0, rest.size());
    return role;
  }
  return TensorRole{"", std::nullopt, Join(parts, 0, end)};
}

void RoleIndex::Add(std::string_view tensor_name) {
  TensorRole role = RoleOf(tensor_name);
  if (!role.layer) return;
  stacks_by_role_[role.role].insert(role.stack);
  layers_by_role_[{role.stack, role.role}].insert(*role.layer);
}

std::string RoleIndex::LabelOf(const TensorRole& role) const {
  if (!role.layer) return role.role;
  auto stacks = stacks_by_role_.find(role.role);
  if (stacks != stacks_by_role_.end() && stacks->second.size() > 1) return role.stack + ".N." + role.role;
  return role.role;
}

std::vector<RoleSpan> RoleIndex::Group(const std::vector<std::string>& tensor_names) const {
  std::vector<RoleSpan> spans;
  std::map<std::pair<std::string, std::string>, size_t> span_of;  // (stack, role) -> index in spans
  std::vector<std::set<uint64_t>> layers;
  for (const std::string& name : tensor_names) {
    TensorRole role = RoleOf(name);
    auto [found, added] = span_of.try_emplace({role.stack, role.role}, spans.size());
    if (added) {
      spans.push_back(RoleSpan{LabelOf(role), role.layer.has_value(), {}, false, 0});
      layers.emplace_back();
    }
    RoleSpan& span = spans[found->second];
    ++span.tensors;
    if (role.layer) layers[found->second].insert(*role.layer);
  }
  for (const auto& [key, index] : span_of) {
    RoleSpan& span = spans[index];
    span.layers.assign(layers[index].begin(), layers[index].end());
    auto universe = layers_by_role_.find(key);
    span.all_layers = span.layered && universe != layers_by_role_.end() && universe->second == layers[index];
  }
  return spans;
}

std::string DescribeLayers(const RoleSpan& span) {
  if (!span.layered) return "";
  if (span.layers.size() == 1) return "layer " + std::to_string(span.layers.front());
  if (span.all_layers) return "all " + std::to_string(span.layers.size()) + " layers";
  std::vector<std::string> ranges;
  for (size_t i = 0; i < span.layers.size();) {
    size_t j = i;
    while (j + 1 < span.layers.size() && span.layers[j + 1] == span.layers[j] + 1) ++j;
    std::string range = std::to_string(span.layers[i]);
    if (j > i) range += "-" + std::to_string(span.layers[j]);
    ranges.push_back(range);
    i = j + 1;
  }
  return "layers " + JoinWithAnd(ranges);
}

std::string RoleIndex::Describe(const std::vector<std::string>& tensor_names, size_t max_clauses) const {
  // Roles covering the same layers share a clause, as do the roles outside
  // layers; clauses keep the order in which their first role appears.
  std::vector<std::string> phrases;
  std::map<std::string, std::vector<std::string>> labels_by_phrase;
  for (const RoleSpan& span : Group(tensor_names)) {
    std::string phrase = DescribeLayers(span);
    auto [it, added] = labels_by_phrase.try_emplace(phrase);
    if (added) phrases.push_back(phrase);
    it->second.push_back(span.label);
  }
  std::vector<std::string> clauses;
  for (const std::string& phrase : phrases) {
    const std::vector<std::string>& labels = labels_by_phrase[phrase];
    clauses.push_back(phrase.empty() ? JoinWithAnd(labels) : JoinWithAnd(labels) + " of " + phrase);
  }
  std::string out;
  for (size_t i = 0; i < clauses.size() && i < max_clauses; ++i) out += (i > 0 ? "; " : "") + clauses[i];
  if (clauses.size() > max_clauses) out += "; and " + std::to_string(clauses.size() - max_clauses) + " more";
  return out;
}

}  // namespace assay
