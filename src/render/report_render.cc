#include "render/report_render.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "claim/claim_text.h"
#include "claim/same_model_verdict.h"
#include "joined.h"
#include "record/points.h"
#include "render/config_render.h"
#include "render/revocation_render.h"
#include "render/signers.h"
#include "render/status_render.h"
#include "sign/minisign_key.h"
#include "utc_time.h"

namespace assay {
namespace {

// --- the document both renderers emit -------------------------------------

struct Cell {
  std::string text;
  std::string full;   // an id whose `text` is its start: the whole shown on hover, and in Markdown
  std::string style;  // a class: a verdict's ("good", "bad", "unsure", "other"), "id" or "num"; "" for none
};

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;
};

// One score with its 95 % interval, on the chart's scale.
struct ChartRow {
  std::string label;
  std::string short_label;  // what the chart writes beside the row
  double value = 0;
  std::optional<double> low, high;
  std::string style;
};

// A claimed score against its reproductions, the verdicts' margin drawn as a band.
struct Chart {
  std::string title;
  std::string unit;
  std::vector<ChartRow> rows;
  std::optional<std::pair<double, double>> band;
};

struct Block {
  enum class Kind { kHeading, kParagraph, kTable, kChart, kCode } kind = Kind::kParagraph;
  int level = 2;       // a heading's
  std::string text;    // a heading's, a paragraph's or the code
  std::string style;   // a paragraph's verdict class
  Table table;
  Chart chart;
};

class Document {
 public:
  void Heading(int level, std::string text) { blocks.push_back({Block::Kind::kHeading, level, std::move(text), "", {}, {}}); }
  void Paragraph(std::string text, std::string style = "") {
    blocks.push_back({Block::Kind::kParagraph, 0, std::move(text), std::move(style), {}, {}});
  }
  void Add(Table table) { blocks.push_back({Block::Kind::kTable, 0, "", "", std::move(table), {}}); }
  void Add(Chart chart) { blocks.push_back({Block::Kind::kChart, 0, "", "", {}, std::move(chart)}); }
  void Code(std::string text) { blocks.push_back({Block::Kind::kCode, 0, std::move(text), "", {}, {}}); }

  std::string title;
  std::vector<Block> blocks;
};

// --- from the report to the document ---------------------------------------

// An id, a digest or a fingerprint: may break anywhere (a narrow screen).
Cell Id(const std::string& id) { return {id.substr(0, 16), id, "id"}; }
Cell Digest(const std::string& text) { return {text, "", "id"}; }
Cell Text(const std::string& text, std::string style = "") { return {text, "", std::move(style)}; }
// A number, or an interval of two: kept on one line.
Cell Number(const std::string& text) { return {text, "", "num"}; }

std::string StandingStyle(ClaimStanding standing) {
  switch (standing) {
    case ClaimStanding::kReproduced:
      return "good";
    case ClaimStanding::kNotReproduced:
      return "bad";
    case ClaimStanding::kInconclusive:
      return "unsure";
    case ClaimStanding::kUnchallenged:
      return "other";
  }
  return "other";
}

std::string VerdictStyle(VerdictKind kind) {
  switch (kind) {
    case VerdictKind::kReproduced:
      return "good";
    case VerdictKind::kNotReproduced:
    case VerdictKind::kDifferentWeights:
      return "bad";
    case VerdictKind::kInconclusive:
      return "unsure";
    case VerdictKind::kNotComparable:
      return "other";
  }
  return "other";
}

// " (NOT COUNTED: why)" and " WITHDRAWN by ...": what status and history say beside a record.
std::string Marks(const std::string& problem, const JudgedRevocation* withdrawn) {
  return (problem.empty() ? "" : " (NOT COUNTED: " + problem + ")") + WithdrawnText(withdrawn);
}

// A cell's class: `good` only when the record counts and stands.
std::string Standing(const std::string& good, const std::string& problem, const JudgedRevocation* withdrawn) {
  return problem.empty() && withdrawn == nullptr ? good : "other";
}

// The first counting signer's name, for a chart's narrow label.
std::string ShortSigner(const CheckedRecord& record) {
  for (const RecordSigner& signer : record.signers) {
    if (signer.entry) return signer.entry->name;
  }
  return "UNTRUSTED";
}

const RecordedMetric* MetricNamed(const std::vector<RecordedMetric>& metrics, const std::string& name) {
  for (const RecordedMetric& recorded : metrics) {
    if (recorded.metric.name == name) return &recorded;
  }
  return nullptr;
}

// A score's 95 % interval on `scale` from its standard error, when it has one.
ChartRow ScoreRow(std::string label, double value, std::optional<double> stderr_value, double per_unit, std::string style) {
  ChartRow row{std::move(label), "", value * per_unit, std::nullopt, std::nullopt, std::move(style)};
  if (stderr_value && std::isfinite(*stderr_value)) {
    row.low = row.value - 1.96 * *stderr_value * per_unit;
    row.high = row.value + 1.96 * *stderr_value * per_unit;
  }
  return row;
}

std::string IntervalText(const ChartRow& row) {
  if (!row.low || !row.high) return "unknown";
  return FormatNumber(*row.low, 4) + " to " + FormatNumber(*row.high, 4);
}

// Per metric of the claim's run: the chart, and the same numbers as a table.
void AddClaimScores(const SignedClaim& claim, const Withdrawals& withdrawals, Document& document) {
  for (const RecordedMetric& recorded : claim.claim.eval.metrics) {
    const EvalMetric& metric = recorded.metric;
    // The scale the verdicts used, else the value's own.
    PointScale scale = ScaleOf(std::vector<double>{metric.value});
    double margin = kDefaultMarginPoints;
    for (const SignedReproduction& reproduction : claim.reproductions) {
      for (const MetricVerdict& verdict : reproduction.reproduction.verdicts) {
        if (verdict.metric != metric.name || !verdict.comparison) continue;
        scale = verdict.comparison->scale;
        margin = verdict.margin;
      }
    }
    const double per_unit = PointsPerUnit(scale);
    Chart chart{claim.claim.eval.benchmark + " " + metric.name, std::string(PointUnit(scale)), {}, std::nullopt};
    Table table{{"who", "score", "95 % interval", "verdict"}, {}};
    ChartRow claimed = ScoreRow("claimed by " + CountingSigners(claim.record), metric.value, metric.stderr_value, per_unit, "claimed");
    claimed.short_label = "claim: " + ShortSigner(claim.record);
    chart.band = std::pair{claimed.value - margin, claimed.value + margin};
    table.rows.push_back({Text(claimed.label), Number(FormatNumber(claimed.value, 4)), Text(IntervalText(claimed)),
                          {recorded.recomputed ? "claimed, recomputed from the transcript" : "claimed, not recomputed", "", ""}});
    chart.rows.push_back(claimed);
    for (const SignedReproduction& reproduction : claim.reproductions) {
      for (const MetricVerdict& verdict : reproduction.reproduction.verdicts) {
        if (verdict.metric != metric.name) continue;
        std::string word = std::string(VerdictKindName(verdict.kind));
        std::optional<std::string> why = WhyNotCounted(claim, reproduction, verdict, "");
        if (const JudgedRevocation* withdrawn = withdrawals.Of(reproduction.record.id)) why = WithdrawalText(*withdrawn);
        if (why) word += " (NOT COUNTED: " + *why + ")";
        const std::string label = "reproduced by " + CountingSigners(reproduction.record);
        if (!verdict.comparison) {
          table.rows.push_back({{label, "", ""}, {"-", "", ""}, {"-", "", ""}, {word + ": " + verdict.reason, "", VerdictStyle(verdict.kind)}});
          continue;
        }
        const RecordedMetric* theirs = MetricNamed(reproduction.reproduction.eval.metrics, metric.name);
        ChartRow row = ScoreRow(label, verdict.comparison->reproduced_points / per_unit,
                                theirs ? theirs->metric.stderr_value : std::nullopt, per_unit,
                                why ? "other" : VerdictStyle(verdict.kind));
        row.short_label = "rerun: " + ShortSigner(reproduction.record);
        table.rows.push_back({Text(label), Number(FormatNumber(row.value, 4)), Text(IntervalText(row)),
                              {word + ": " + DescribeComparison(verdict), "", row.style}});
        chart.rows.push_back(std::move(row));
      }
    }
    // A score that is NaN or infinite has no place on an axis: the table below still shows it.
    const bool drawable = std::all_of(chart.rows.begin(), chart.rows.end(), [](const ChartRow& row) {
      return std::isfinite(row.value) && std::isfinite(row.low.value_or(0)) && std::isfinite(row.high.value_or(0));
    });
    if (drawable) document.Add(std::move(chart));
    document.Add(std::move(table));
  }
  for (const TaskSummary& task : claim.claim.eval.tasks) {
    for (const RecordedMetric& recorded : task.metrics) {
      document.Paragraph("task " + task.name + " " + recorded.metric.name + " " + FormatMetricValue(recorded.metric));
    }
  }
}

void AddClaim(const SignedClaim& claim, const Withdrawals& withdrawals, const std::string& served, Document& document) {
  const ClaimStanding standing = StandingOf(claim);
  document.Heading(3, DescribeBenchmark(claim.claim.eval) + ", claim " + claim.record.id.substr(0, 12));
  std::string standing_text = "Standing: " + std::string(ClaimStandingName(standing)) + ".";
  if (const JudgedRevocation* withdrawn = withdrawals.Of(claim.record.id)) standing_text += " " + WithdrawalText(*withdrawn);
  document.Paragraph(standing_text, StandingStyle(standing));
  if (!served.empty()) document.Paragraph(served);
  if (!claim.record.counts()) document.Paragraph("This claim does not count: " + claim.record.problem, "bad");
  AddClaimScores(claim, withdrawals, document);
}

void AddVerdicts(const ModelReport& report, Document& document) {
  const ModelStatus& status = report.status;
  document.Heading(2, "Verdicts");
  if (status.claims.empty() && status.endpoint_claims.empty()) document.Paragraph("No claims about these weights yet.");
  for (const SignedClaim& claim : status.claims) AddClaim(claim, status.withdrawals, "", document);
  for (const ServedClaim& served : status.endpoint_claims) {
    const Deployment& deployment = served.served.deployment;
    AddClaim(served.claim, status.withdrawals,
             "A claim about the endpoint " + EndpointName(deployment.endpoint) +
                 ", run at " + FormatUtcTime(*served.claim.claim.eval.started) + " (asserted by the run's log), while host " +
                 served.served.host + " said it served these weights (deployment " + served.served.record.substr(0, 16) + ").",
             document);
  }
}

void AddUploads(const ModelReport& report, Document& document) {
  const ModelStatus& status = report.status;
  const Withdrawals& withdrawals = status.withdrawals;
  document.Heading(2, "Uploads");
  Table uploads{{"upload", "record", "weights root", "same weights"}, {}};
  for (const Upload& upload : status.same_weights) {
    uploads.rows.push_back({Text(UploadName(upload)), Id(upload.record_id),
                            Id(upload.weights_root), {"yes", "", "good"}});
  }
  for (const Upload& upload : status.different_weights) {
    uploads.rows.push_back({Text(UploadName(upload)), Id(upload.record_id),
                            Id(upload.weights_root), {"DIFFERENT WEIGHTS", "", "bad"}});
  }
  document.Add(std::move(uploads));
  const ModelHistory& history = report.history;
  if (history.revisions.empty()) {
    document.Paragraph("No observed revisions of the repository ('assay observe CHECKOUT' records them).");
  }
  for (const HistoryRevision& revision : history.revisions) {
    document.Heading(3, revision.commit.empty() ? "revision " + revision.label + " (not observed)"
                                                : revision.time + " " + revision.commit.substr(0, 12) + " " + revision.subject);
    Table rows{{"what", "detail"}, {}};
    if (!revision.commit.empty()) {
      rows.rows.push_back({Text("commit"), Digest(revision.commit)});
      rows.rows.push_back({{"time", "", ""}, {revision.time + " as committed: asserted by whoever pushed it", "", ""}});
    }
    for (const RevisionObserver& observer : revision.observers) {
      rows.rows.push_back({{"observed", "", ""},
                           {"by " + observer.name + " at " + observer.observed_at + " (asserted by " + observer.name + ")" +
                                Marks(observer.problem, withdrawals.Of(observer.record)),
                            "", Standing("", observer.problem, withdrawals.Of(observer.record))}});
    }
    std::vector<std::string> weights;
    for (const FileChange& change : revision.weight_changes) weights.push_back(change.path + " " + change.change);
    if (!revision.commit.empty()) {
      rows.rows.push_back({{"weights", "", ""}, {weights.empty() ? (revision.first ? "none in LFS" : "no weight change") : Joined(weights, ", "), "", ""}});
    }
    if (!revision.first) {
      for (const FileChange& change : revision.file_changes) rows.rows.push_back({{"file", "", ""}, {change.path + " " + change.change, "", ""}});
    }
    for (const ConfigFileDifference& file : revision.config_changes.files) {
      for (const ConfigKeyDifference& key : file.keys) {
        rows.rows.push_back({{file.path, "", ""}, {key.key + " " + std::string(ChangeName(key.change)) + (key.identity ? " [identity]" : ""), "", key.identity ? "unsure" : ""}});
      }
    }
    for (const BytesCheck& check : revision.hashed) {
      const JudgedRevocation* withdrawn = withdrawals.Of(check.record);
      const std::string marks = Marks(check.problem, withdrawn);
      rows.rows.push_back({{"bytes", "", ""},
                           check.mismatches.empty()
                               ? Cell{"verified by " + check.signer + " (model record " + check.record.substr(0, 16) + ")" + marks, "",
                                      Standing("good", check.problem, withdrawn)}
                               : Cell{std::string(check.pointers_differ ? "POINTER" : "FILE") + " MISMATCH (model record " +
                                          check.record.substr(0, 16) + "): " + Joined(check.mismatches, "; ") + marks,
                                      "", "bad"}});
    }
    for (const RevisionDeployment& deployment : revision.deployments) {
      rows.rows.push_back({{"deployed", "", ""},
                           {deployment.endpoint + " from " + deployment.from + (deployment.ended.empty() ? ", still serving" : " until " + deployment.ended) +
                                " (asserted by host " + deployment.host + ", deployment " + deployment.record.substr(0, 16) + ")" +
                                Marks(deployment.problem, withdrawals.Of(deployment.record)),
                            "", Standing("", deployment.problem, withdrawals.Of(deployment.record))}});
    }
    if (revision.gone) {
      rows.rows.push_back({{"gone", "", ""},
                           {"no longer in the history: rewritten (said by " + revision.gone->name + ")" +
                                Marks(revision.gone->problem, nullptr),
                            "", "bad"}});
    }
    document.Add(std::move(rows));
  }
}

void AddEndpoints(const ModelReport& report, Document& document) {
  const ModelStatus& status = report.status;
  if (status.deployments.empty() && status.comparisons.empty()) return;
  document.Heading(2, "Hosts and endpoints");
  Table table{{"endpoint", "what", "who", "record"}, {}};
  for (const JudgedDeployment& one : status.deployments) {
    table.rows.push_back({{EndpointName(one.deployment.endpoint), "", ""},
                          {"served these weights from " + one.deployment.from + (one.ended.empty() ? ", still serving" : " until " + one.ended) +
                               Marks(one.problem, status.withdrawals.Of(one.record)),
                           "", Standing("", one.problem, status.withdrawals.Of(one.record))},
                          {"host " + one.host + " (asserted)", "", ""},
                          Id(one.record)});
  }
  for (const JudgedComparison& one : status.comparisons) {
    const Comparison& comparison = one.comparison;
    std::string finding = std::string(FindingText(ParseFindingName(comparison.finding).value_or(SameModelFinding::kInconclusive)));
    if (comparison.test) finding += " (" + *comparison.test + (comparison.p_value ? ", p = " + PValueText(*comparison.p_value) : "") + ")";
    table.rows.push_back({{EndpointName(comparison.endpoint), "", ""},
                          {"endpoint test: " + finding + Marks(one.problem, status.withdrawals.Of(one.record)), "",
                           one.problem.empty() && comparison.finding == "different-model" ? "bad" : "other"},
                          {"evaluator " + one.evaluator, "", ""},
                          Id(one.record)});
  }
  document.Add(std::move(table));
}

void AddSigners(const ModelReport& report, Document& document) {
  document.Heading(2, "Who signed what");
  Table table{{"record", "kind", "signer", "role", "key id", "fingerprint"}, {}};
  std::vector<const ReportRecord*> refused;
  for (const ReportRecord& record : report.records) {
    if (!record.judged.counts()) refused.push_back(&record);
    for (const RecordSigner& signer : record.judged.signers) {
      table.rows.push_back({Id(record.id),
                            {record.kind, "", ""},
                            {signer.entry ? signer.entry->name : "UNTRUSTED key", "", signer.entry ? "" : "bad"},
                            {signer.entry ? RoleList(*signer.entry) : "-", "", ""},
                            Digest(signer.entry ? FormatMinisignKeyId(signer.entry->key.key_id) : "-"),
                            Digest(signer.fingerprint)});
    }
    if (record.judged.signers.empty()) {
      table.rows.push_back({Id(record.id), {record.kind, "", ""}, {"no signature verifies", "", "bad"}, {"-", "", ""}, {"-", "", ""}, {"-", "", ""}});
    }
  }
  document.Add(std::move(table));
  if (refused.empty()) {
    document.Paragraph("Every record above counts in the role its kind needs.", "good");
    return;
  }
  document.Heading(3, "Records that do not count");
  Table why{{"record", "kind", "why"}, {}};
  for (const ReportRecord* record : refused) why.rows.push_back({Id(record->id), {record->kind, "", ""}, {record->judged.problem, "", "bad"}});
  document.Add(std::move(why));
}

void AddEvidence(const ModelReport& report, Document& document) {
  document.Heading(2, "Evidence");
  Table table{{"record", "run", "samples", "transcript root", "evidence"}, {}};
  auto add = [&table](const std::string& id, const EvalSummary& eval, const std::string& evidence) {
    std::string samples = eval.samples_used ? std::to_string(*eval.samples_used) : "?";
    if (eval.samples_total) samples += " of " + std::to_string(*eval.samples_total);
    if (eval.partial()) samples += " (PARTIAL RUN)";
    table.rows.push_back({Id(id), {DescribeBenchmark(eval), "", ""}, {samples, "", eval.partial() ? "unsure" : ""},
                          eval.transcript ? Id(eval.transcript->root) : Cell{"no transcript committed", "", "unsure"},
                          {evidence, "", ""}});
  };
  auto add_claim = [&](const SignedClaim& claim) {
    add(claim.record.id, claim.claim.eval, "claimed");
    for (const SignedReproduction& reproduction : claim.reproductions) {
      std::vector<std::string> notes;
      for (const MetricVerdict& verdict : reproduction.reproduction.verdicts) {
        if (verdict.comparison) notes.push_back(verdict.metric + ": " + std::string(EvidenceTierName(verdict.comparison->tier)));
      }
      for (const ConfigDifference& difference : reproduction.reproduction.differences) {
        notes.push_back("NOT COMPARABLE: " + difference.Describe());
      }
      for (const AcceptedDifference& accepted : reproduction.reproduction.accepted) {
        notes.push_back("accepted " + accepted.field + ": " + accepted.reason);
      }
      add(reproduction.record.id, reproduction.reproduction.eval, Joined(notes, "; "));
    }
  };
  for (const SignedClaim& claim : report.status.claims) add_claim(claim);
  for (const ServedClaim& served : report.status.endpoint_claims) add_claim(served.claim);
  if (table.rows.empty()) {
    document.Paragraph("No runs yet.");
    return;
  }
  document.Add(std::move(table));
}

// `text` as one shell word: Printable first (a record's newline stays "\n"),
// then in single quotes unless it is plainly safe.
std::string ShellWord(const std::string& text) {
  const std::string shown = Printable(text);
  const bool plain = !shown.empty() && shown.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                                "0123456789@%+=:,./_-") == std::string::npos;
  if (plain) return shown;
  std::string quoted = "'";
  for (char c : shown) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

void AddHowToCheck(const ModelReport& report, Document& document) {
  const ModelIdentity& identity = report.status.model.model->identity;
  std::string flags = " --ledger " + ShellWord(report.ledger.path) + " --trust " + ShellWord(report.trust_file);
  std::string with_checkpoints = flags;
  for (const std::string& checkpoint : report.checkpoints) with_checkpoints += " --checkpoint " + ShellWord(checkpoint);
  document.Heading(2, "Check it again");
  document.Paragraph("Every line below runs as printed, with the same ledger, trust file and checkpoints.");
  std::string commands = "assay verify ledger" + flags + "\n";
  commands += "assay status " + report.status.model.record->id + with_checkpoints + "\n";
  for (const SignedClaim& claim : report.status.claims) {
    commands += "assay verify claim " + claim.record.id.substr(0, 16) + with_checkpoints + "\n";
  }
  for (const ServedClaim& served : report.status.endpoint_claims) {
    commands += "assay verify claim " + served.claim.record.id.substr(0, 16) + with_checkpoints + "\n";
  }
  if (!report.history.revisions.empty()) commands += "assay history " + ShellWord(identity.name) + with_checkpoints + "\n";
  document.Code(commands);
  document.Paragraph("The ledger held " + std::to_string(report.ledger.size) + " records at head commit " + report.ledger.head +
                     "; their Merkle root is " + report.ledger.root + " ('assay attest checkpoint' signs it). Report made at " +
                     report.generated_at + " by this machine's clock.");
}

Document BuildDocument(const ModelReport& report) {
  const ModelIdentity& identity = report.status.model.model->identity;
  Document document;
  document.title = identity.name + (identity.revision ? " @ " + *identity.revision : "");
  document.Heading(1, "assay report: " + document.title);
  const CheckedRecord& record = *report.status.model.record;
  const JudgedRevocation* withdrawn = report.status.withdrawals.Of(record.id);
  document.Paragraph("Model record " + record.id + ", signed by " + CountingSigners(record) + "; weights root " +
                         (report.status.weights_root.empty() ? "none" : report.status.weights_root) + "." +
                         Marks(record.counts() ? "" : record.problem, withdrawn),
                     record.counts() && withdrawn == nullptr ? "" : "bad");
  AddVerdicts(report, document);
  AddUploads(report, document);
  AddEndpoints(report, document);
  AddSigners(report, document);
  AddEvidence(report, document);
  AddHowToCheck(report, document);
  return document;
}

// --- HTML ------------------------------------------------------------------

// Printable line by line: a code block's line ends are ours (ShellWord made
// every value from a record one line already).
std::string PrintableLines(std::string_view text) {
  std::string out;
  size_t begin = 0;
  while (begin < text.size()) {
    const size_t end = std::min(text.find('\n', begin), text.size());
    out += Printable(text.substr(begin, end - begin));
    if (end < text.size()) out += '\n';
    begin = end + 1;
  }
  return out;
}

// `shown` (already Printable) escaped for HTML text and attribute values.
std::string HtmlEscaped(std::string_view shown) {
  std::string out;
  for (char c : shown) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Html(std::string_view text) { return HtmlEscaped(Printable(text)); }

std::string Coordinate(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

// A round step for about four intervals over `range`.
double TickStep(double range) {
  const double raw = range / 4;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double step : {1.0, 2.0, 5.0}) {
    if (raw <= step * power) return step * power;
  }
  return 10 * power;
}

std::string ChartSvg(const Chart& chart) {
  constexpr double kWidth = 520, kLeft = 170, kRight = 16, kRow = 30, kTop = 12, kAxis = 34;
  double low = chart.band ? chart.band->first : chart.rows.front().value;
  double high = chart.band ? chart.band->second : chart.rows.front().value;
  for (const ChartRow& row : chart.rows) {
    low = std::min({low, row.value, row.low.value_or(row.value)});
    high = std::max({high, row.value, row.high.value_or(row.value)});
  }
  if (!(high > low)) high = low + 1;
  const double pad = (high - low) * 0.08;
  low -= pad;
  high += pad;
  const double plot_height = kRow * double(chart.rows.size());
  const double height = kTop + plot_height + kAxis;
  auto x = [&](double value) { return kLeft + (value - low) / (high - low) * (kWidth - kLeft - kRight); };
  std::string description;
  for (const ChartRow& row : chart.rows) description += row.label + ": " + FormatNumber(row.value, 4) + " (95 % interval " + IntervalText(row) + "). ";
  std::string svg = "<svg class=\"chart\" viewBox=\"0 0 " + Coordinate(kWidth) + " " + Coordinate(height) +
                    "\" role=\"img\"><title>" + Html(chart.title + ": " + description) + "</title>";
  if (chart.band) {
    svg += "<rect class=\"band\" x=\"" + Coordinate(x(chart.band->first)) + "\" y=\"" + Coordinate(kTop - 4) + "\" width=\"" +
           Coordinate(x(chart.band->second) - x(chart.band->first)) + "\" height=\"" + Coordinate(plot_height + 8) + "\"/>";
  }
  const double step = TickStep(high - low);
  // By index, at most a dozen: a huge value whose step is below its spacing never advances a running sum.
  const double first = std::ceil(low / step);
  for (int index = 0; index < 12 && (first + index) * step <= high; ++index) {
    const double tick = (first + index) * step;
    svg += "<line class=\"grid\" x1=\"" + Coordinate(x(tick)) + "\" x2=\"" + Coordinate(x(tick)) + "\" y1=\"" + Coordinate(kTop - 4) +
           "\" y2=\"" + Coordinate(kTop + plot_height + 6) + "\"/><text class=\"tick\" x=\"" + Coordinate(x(tick)) + "\" y=\"" +
           Coordinate(kTop + plot_height + 22) + "\">" + Html(FormatNumber(tick, 4)) + "</text>";
  }
  for (size_t i = 0; i < chart.rows.size(); ++i) {
    const ChartRow& row = chart.rows[i];
    const double y = kTop + kRow * (double(i) + 0.5);
    std::string label = row.short_label.size() > 24 ? row.short_label.substr(0, 23) + "…" : row.short_label;
    svg += "<text class=\"label\" x=\"" + Coordinate(kLeft - 10) + "\" y=\"" + Coordinate(y + 4) + "\">" + Html(label) + "</text>";
    if (row.low && row.high) {
      svg += "<line class=\"interval " + row.style + "\" x1=\"" + Coordinate(x(*row.low)) + "\" x2=\"" + Coordinate(x(*row.high)) +
             "\" y1=\"" + Coordinate(y) + "\" y2=\"" + Coordinate(y) + "\"/>";
    }
    svg += "<circle class=\"dot " + row.style + "\" cx=\"" + Coordinate(x(row.value)) + "\" cy=\"" + Coordinate(y) + "\" r=\"5\"/>";
  }
  svg += "<text class=\"tick\" x=\"" + Coordinate(kLeft + (kWidth - kLeft - kRight) / 2) + "\" y=\"" + Coordinate(height - 2) + "\">" +
         Html(chart.unit + (chart.band ? ", the band is the verdicts' margin" : "")) + "</text></svg>";
  return svg;
}

constexpr char kStyle[] = R"css(
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; background: #ffffff;
       margin: 0 auto; max-width: 62rem; padding: 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; overflow-wrap: anywhere; }
h2 { font-size: 1.3rem; border-bottom: 1px solid #c8c8c8; margin-top: 2rem; }
h3 { font-size: 1.05rem; overflow-wrap: anywhere; }
p, td, th, pre { overflow-wrap: break-word; }
td.id { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.8rem; overflow-wrap: anywhere; }
td.num { white-space: nowrap; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #c8c8c8; padding: 0.3rem 0.45rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.85rem; }
pre { background: #f4f4f4; padding: 0.6rem; white-space: pre-wrap; border: 1px solid #d0d0d0; }
abbr { text-decoration: none; border-bottom: 1px dotted #555; }
.good { color: #145c2c; background: #e5f3e9; }
.bad { color: #8f1414; background: #fbe9e9; }
.unsure { color: #6a4b00; background: #fdf3d8; }
.other { color: #3d3d3d; background: #eeeeee; }
p.good, p.bad, p.unsure, p.other { padding: 0.3rem 0.5rem; font-weight: 600; }
svg.chart { width: 100%; height: auto; display: block; max-width: 40rem; }
svg .band { fill: #dde6f3; }
svg .grid { stroke: #d0d0d0; }
svg .tick, svg .label { font-size: 12px; fill: #1b1b1b; }
svg .tick { text-anchor: middle; }
svg .label { text-anchor: end; }
svg .interval { stroke-width: 2.5; stroke: #333333; }
svg .dot { stroke: #1b1b1b; stroke-width: 1; }
svg .dot.claimed { fill: #1f4e8c; } svg .interval.claimed { stroke: #1f4e8c; }
svg .dot.good { fill: #1e7a3c; } svg .interval.good { stroke: #1e7a3c; }
svg .dot.bad { fill: #b21f1f; } svg .interval.bad { stroke: #b21f1f; }
svg .dot.unsure { fill: #a77800; } svg .interval.unsure { stroke: #a77800; }
svg .dot.other { fill: #777777; } svg .interval.other { stroke: #777777; }
@media (max-width: 30rem) {
  body { padding: 0.5rem; }
  table { font-size: 0.8rem; }
  th, td { padding: 0.2rem 0.25rem; }
  /* Tables of more than three columns become one card per row, each cell under its column's name. */
  table.wide, table.wide tbody, table.wide tr, table.wide td { display: block; width: auto; }
  table.wide thead { display: none; }
  table.wide tr { border: 1px solid #c8c8c8; margin-bottom: 0.5rem; }
  table.wide td { border: none; border-bottom: 1px solid #e2e2e2; }
  table.wide td::before { content: attr(data-label) ": "; font-weight: 600; font-family: system-ui, sans-serif; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; } table, svg, pre { break-inside: avoid; }
  .good, .bad, .unsure, .other { background: none; }
}
)css";

// `label`: the column's name, which a narrow screen shows before the cell (the rows become cards).
std::string HtmlCell(const Cell& cell, const char* tag, const std::string& label = "") {
  std::string out = std::string("<") + tag + (cell.style.empty() ? "" : " class=\"" + cell.style + "\"") +
                    (label.empty() ? "" : " data-label=\"" + Html(label) + "\"") + ">";
  if (!cell.full.empty() && cell.full != cell.text) {
    out += "<abbr title=\"" + Html(cell.full) + "\"><code>" + Html(cell.text) + "</code></abbr>";
  } else {
    out += Html(cell.text);
  }
  return out + "</" + tag + ">";
}

// --- Markdown --------------------------------------------------------------

// Escaped for a Markdown paragraph or table cell: the characters that would
// start markup, and HTML (GitHub renders some of it).
std::string Markdown(std::string_view text) {
  std::string out;
  for (char c : Printable(text)) {
    if (c == '&') {
      out += "&amp;";
      continue;
    }
    if (std::string_view("\\`*_[]<>|#~").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string RenderReportHtml(const ModelReport& report) {
  const Document document = BuildDocument(report);
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
                     "<title>" + Html("assay report: " + document.title) + "</title><style>" + kStyle + "</style></head>\n<body><main>\n";
  for (const Block& block : document.blocks) {
    switch (block.kind) {
      case Block::Kind::kHeading:
        html += "<h" + std::to_string(block.level) + ">" + Html(block.text) + "</h" + std::to_string(block.level) + ">\n";
        break;
      case Block::Kind::kParagraph:
        html += "<p" + (block.style.empty() ? std::string() : " class=\"" + block.style + "\"") + ">" + Html(block.text) + "</p>\n";
        break;
      case Block::Kind::kTable: {
        const std::vector<std::string>& header = block.table.header;
        html += header.size() > 3 ? "<table class=\"wide\"><thead><tr>" : "<table><thead><tr>";
        for (const std::string& name : header) html += HtmlCell({name, "", ""}, "th");
        html += "</tr></thead><tbody>";
        for (const std::vector<Cell>& row : block.table.rows) {
          html += "<tr>";
          for (size_t i = 0; i < row.size(); ++i) html += HtmlCell(row[i], "td", i < header.size() ? header[i] : "");
          html += "</tr>";
        }
        html += "</tbody></table>\n";
        break;
      }
      case Block::Kind::kChart:
        html += ChartSvg(block.chart) + "\n";
        break;
      case Block::Kind::kCode:
        html += "<pre><code>" + HtmlEscaped(PrintableLines(block.text)) + "</code></pre>\n";
        break;
    }
  }
  return html + "</main></body></html>\n";
}

std::string RenderReportMarkdown(const ModelReport& report) {
  const Document document = BuildDocument(report);
  std::string markdown;
  for (const Block& block : document.blocks) {
    switch (block.kind) {
      case Block::Kind::kHeading:
        markdown += std::string(size_t(block.level), '#') + " " + Markdown(block.text) + "\n\n";
        break;
      case Block::Kind::kParagraph:
        markdown += (block.style.empty() ? Markdown(block.text) : "**" + Markdown(block.text) + "**") + "\n\n";
        break;
      case Block::Kind::kTable: {
        std::string header = "|", rule = "|";
        for (const std::string& name : block.table.header) {
          header += " " + Markdown(name) + " |";
          rule += " --- |";
        }
        markdown += header + "\n" + rule + "\n";
        for (const std::vector<Cell>& row : block.table.rows) {
          markdown += "|";
          for (const Cell& cell : row) markdown += " " + Markdown(cell.full.empty() ? cell.text : cell.full) + " |";
          markdown += "\n";
        }
        markdown += "\n";
        break;
      }
      case Block::Kind::kChart:
        break;  // the table after it holds the same numbers
      case Block::Kind::kCode:
        markdown += "```sh\n" + PrintableLines(block.text) + "```\n\n";
        break;
    }
  }
  return markdown;
}

}  // namespace assay
