#include "evallog/eval_log.h"

#include <algorithm>
#include <array>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "digest/sha256.h"
#include "evallog/helm_run.h"
#include "evallog/inspect_log.h"
#include "evallog/json_lines.h"
#include "evallog/jsonl_transcript.h"
#include "json/lenient_json.h"
#include "evallog/lm_eval_log.h"
#include "evallog/lm_eval_samples.h"
#include "formats/lfs_pointer.h"
#include "joined.h"

namespace assay {
namespace {

using nlohmann::json;

enum class LogKind { kLmEvalResults, kLmEvalSamples, kInspectZip, kInspectJson, kJsonlTranscript };

struct ClassifiedFile {
  std::string path;
  LogKind kind;
  std::optional<json> document;  // the parsed JSON document, for the kinds that are one
};

// The file's first line, or nullopt when there is none within `max_bytes`
// (a pretty-printed document's first line is short; a one-line document may not be).
Result<std::optional<std::string>> FirstLine(const RandomAccessFile& file, uint64_t max_bytes) {
  constexpr uint64_t kChunkBytes = 1 << 20;
  std::string line;
  for (uint64_t offset = 0; offset < file.size() && offset <= max_bytes;) {
    std::string chunk(static_cast<size_t>(std::min(kChunkBytes, file.size() - offset)), '\0');
    ASSAY_RETURN_IF_ERROR(
        file.ReadExactly(offset, {reinterpret_cast<uint8_t*>(chunk.data()), chunk.size()}));
    offset += chunk.size();
    size_t newline = chunk.find('\n');
    line.append(chunk, 0, newline);
    if (newline != std::string::npos) break;
  }
  if (line.size() > max_bytes) return std::optional<std::string>();
  return std::optional<std::string>(std::move(line));
}

// Whether anything but white space follows the first line break at or after
// `from`: a file whose first line is too long is then JSON Lines with an
// overlong row, not a one-line JSON document. Reads in chunks: bounded memory.
Result<bool> MoreLinesAfter(const RandomAccessFile& file, uint64_t from) {
  constexpr uint64_t kChunkBytes = 1 << 20;
  bool past_break = false;
  std::string chunk;
  for (uint64_t offset = from; offset < file.size();) {
    chunk.assign(static_cast<size_t>(std::min(kChunkBytes, file.size() - offset)), '\0');
    ASSAY_RETURN_IF_ERROR(file.ReadExactly(offset, {reinterpret_cast<uint8_t*>(chunk.data()), chunk.size()}));
    offset += chunk.size();
    size_t start = 0;
    if (!past_break) {
      const size_t newline = chunk.find('\n');
      if (newline == std::string::npos) continue;
      past_break = true;
      start = newline + 1;
    }
    if (chunk.find_first_not_of(" \t\r\n", start) != std::string::npos) return true;
  }
  return false;
}

// Whether a file name is lm-eval's for a samples file, samples_TASK_TIMESTAMP.jsonl.
bool IsLmEvalSamplesFileName(const std::string& path) {
  const std::string name = path.substr(path.rfind('/') + 1);
  return name.starts_with("samples_") && name.ends_with(".jsonl");
}

// What a file is, from its content alone (docs/spec/eval-logs.md, "Recognising a log").
Result<ClassifiedFile> Classify(const std::string& path, FileSystem& fs, uint64_t& total_bytes) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, fs.OpenForRead(path));
  total_bytes += file->size();
  if (total_bytes > kMaxEvalLogBytes) {
    return Status::InvalidInput(path + ": the eval log files hold more than " +
                                std::to_string(kMaxEvalLogBytes) + " bytes together");
  }
  std::array<uint8_t, 4> magic{};
  if (file->size() >= magic.size()) {
    ASSAY_RETURN_IF_ERROR(file->ReadExactly(0, magic));
    if (magic[0] == 'P' && magic[1] == 'K' &&
        ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6))) {
      return ClassifiedFile{path, LogKind::kInspectZip, std::nullopt};
    }
  }
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> first_line,
                         FirstLine(*file, kMaxEvalLogLineBytes));
  if (!first_line) {
    // Neither a JSON Lines file nor a document assay parses whole: no need to scan the rest.
    if (file->size() > kMaxEvalLogDocumentBytes) {
      return Status::InvalidInput(path + ": line 1 is longer than " + DescribeLineLimit(kMaxEvalLogLineBytes) +
                                  ", and the file's " + std::to_string(file->size()) + " bytes are more than the " +
                                  DescribeLineLimit(kMaxEvalLogDocumentBytes) + " assay parses whole");
    }
    ASSAY_ASSIGN_OR_RETURN(bool json_lines, MoreLinesAfter(*file, kMaxEvalLogLineBytes));
    if (json_lines) {
      return Status::InvalidInput(path + ": line 1 is longer than " + DescribeLineLimit(kMaxEvalLogLineBytes));
    }
  } else if (LooksLikeLfsPointer(*first_line)) {
    // A clone made without its LFS content: the pointer stands where the log
    // should be. lm-eval's samples files are the large ones, so the usual case.
    const char* what = IsLmEvalSamplesFileName(path) ? ": the per-sample log is a Git LFS pointer"
                                                     : ": a Git LFS pointer, not the eval log";
    return Status::InvalidInput(path + what +
                                ": its content was not downloaded ('git lfs pull' fetches it)");
  } else {
    Result<json> row = ParseLenientJson(*first_line);
    if (row.ok() && IsJsonlTranscriptHeader(*row)) {
      return ClassifiedFile{path, LogKind::kJsonlTranscript, std::nullopt};
    }
    if (row.ok() && IsLmEvalSamplesRow(*row)) {
      return ClassifiedFile{path, LogKind::kLmEvalSamples, std::nullopt};
    }
  }
  // A JSON document: lm-eval's results or Inspect's JSON log.
  if (file->size() > kMaxEvalLogDocumentBytes) {
    return Status::InvalidInput(path + ": a JSON eval log of " + std::to_string(file->size()) + " bytes, more than the " +
                                DescribeLineLimit(kMaxEvalLogDocumentBytes) + " assay parses whole")
        .WithHint("an Inspect log this large reads as .eval ('inspect log convert' writes one)");
  }
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(fs, path, kMaxEvalLogDocumentBytes));
  Result<json> document = ParseLenientJson(text);
  if (!document.ok()) {
    return document.status().WithContext(path +
                                         ": not an eval log assay reads (docs/spec/eval-logs.md)");
  }
  if (IsLmEvalResults(*document)) {
    return ClassifiedFile{path, LogKind::kLmEvalResults, std::move(*document)};
  }
  if (IsInspectJsonLog(*document)) {
    return ClassifiedFile{path, LogKind::kInspectJson, std::move(*document)};
  }
  return Status::InvalidInput(path +
                              ": not an eval log assay reads: neither lm-evaluation-harness "
                              "results, an Inspect log, lm-eval samples nor an assay transcript");
}

// The files of the one lm-eval run in `folder` (lm-eval's --output_path
// layout: results_TIMESTAMP.json beside samples_TASK_TIMESTAMP.jsonl): its
// results file, and the samples files of the same timestamp (or of none).
Result<std::vector<std::string>> LmEvalRunFiles(const std::string& folder, FileSystem& fs) {
  ASSAY_ASSIGN_OR_RETURN(std::vector<std::string> names, fs.ListDirectory(folder));
  std::sort(names.begin(), names.end());
  std::vector<std::string> results;
  for (const std::string& name : names) {
    if (name.starts_with("results_") && name.ends_with(".json")) results.push_back(name);
  }
  if (results.empty()) {
    return Status::InvalidInput(folder + ": a folder holding neither a HELM run (run_spec.json) nor an lm-eval "
                                         "run (results_*.json)");
  }
  if (results.size() > 1) {
    return Status::InvalidInput(folder + ": holds " + std::to_string(results.size()) + " lm-eval runs (" +
                                Joined(results, ", ") +
                                "): give one results file and its samples files");
  }
  const std::string stamp = LmEvalRunTimestampOf(results[0]);
  std::vector<std::string> files = {folder + "/" + results[0]};
  for (const std::string& name : names) {
    const std::string samples_stamp = LmEvalRunTimestampOf(name);
    if (IsLmEvalSamplesFileName(name) && (samples_stamp.empty() || samples_stamp == stamp)) {
      files.push_back(folder + "/" + name);
    }
  }
  return files;
}

// Formats that hold a whole run in one file (or one HELM folder) hold one
// task: a requested task must be it. The run records the files it was read from.
Result<EvalRun> CheckTask(Result<EvalRun> run, const std::string& path, const std::string& task,
                          const std::vector<std::string>& files, FileSystem& fs) {
  if (!run.ok()) return run;
  if (!task.empty() && run->benchmark != task) {
    return Status::InvalidInput(path + ": holds task '" + run->benchmark + "', not '" + task + "'");
  }
  for (const std::string& file : files) {
    ASSAY_ASSIGN_OR_RETURN(EvalLogFile log, HashLogFile(file, "log", "", fs));
    run->files.push_back(std::move(log));
  }
  return run;
}

// The files of a HELM run folder that its reader reads, as they are there.
std::vector<std::string> HelmRunFiles(const std::string& folder, FileSystem& fs) {
  std::vector<std::string> files;
  for (const char* name : {"run_spec.json", "scenario.json", "scenario_state.json", "per_instance_stats.json", "stats.json"}) {
    if (fs.FollowStatus(folder + "/" + name).ok()) files.push_back(folder + "/" + name);
  }
  return files;
}

// A run's files, found and recognised: a HELM run folder, or the files of
// one run (a folder of lm-eval's expanded to its one run's files).
struct GatheredLog {
  std::optional<std::string> helm_folder;
  std::vector<ClassifiedFile> files;
  std::vector<std::string> samples;  // lm-eval samples files
  bool whole_folder = false;         // the files are a run folder's, not named one by one

  const ClassifiedFile* results() const {
    for (const ClassifiedFile& file : files) {
      if (file.kind == LogKind::kLmEvalResults) return &file;
    }
    return nullptr;
  }
};

Result<GatheredLog> GatherLog(const std::vector<std::string>& given, FileSystem& fs) {
  if (given.empty()) return Status::InvalidInput("no eval log files given");
  GatheredLog log;
  // HELM writes a folder per run; lm-eval a folder per model, of runs told
  // apart by their timestamps; every other harness, files.
  std::vector<std::string> paths = given;
  for (const std::string& path : given) {
    if (Result<FileInfo> info = fs.FollowStatus(path); !info.ok() || info->type != FileInfo::Type::kDirectory) continue;
    if (given.size() > 1) return Status::InvalidInput(path + ": a run's folder is a whole run: give it alone");
    if (IsHelmRunFolder(fs, path)) {
      log.helm_folder = path;
      return log;
    }
    ASSAY_ASSIGN_OR_RETURN(paths, LmEvalRunFiles(path, fs));
    log.whole_folder = true;
  }
  uint64_t total_bytes = 0;
  bool have_results = false;
  for (const std::string& path : paths) {
    ASSAY_ASSIGN_OR_RETURN(ClassifiedFile file, Classify(path, fs, total_bytes));
    if (file.kind == LogKind::kLmEvalSamples) {
      log.samples.push_back(file.path);
    } else if (file.kind == LogKind::kLmEvalResults && !have_results) {
      have_results = true;
    } else if (paths.size() > 1) {
      return Status::InvalidInput(file.path +
                                  ": give one log per run: lm-eval's results file with "
                                  "its samples files, or one Inspect log, or one assay transcript");
    }
    log.files.push_back(std::move(file));
  }
  return log;
}

}  // namespace

Result<EvalLogFile> HashLogFile(const std::string& path, std::string role, std::string task, FileSystem& fs) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, fs.OpenForRead(path));
  constexpr uint64_t kChunkBytes = 4 << 20;
  std::vector<uint8_t> chunk;
  Sha256 hash;
  for (uint64_t offset = 0; offset < file->size(); offset += chunk.size()) {
    chunk.resize(static_cast<size_t>(std::min(kChunkBytes, file->size() - offset)));
    ASSAY_RETURN_IF_ERROR(file->ReadExactly(offset, chunk));
    hash.Update(chunk);
  }
  return EvalLogFile{path.substr(path.rfind('/') + 1), ToHex(hash.Finish()), std::move(role), std::move(task)};
}

namespace {

// The one run of the gathered files (options.task of an lm-eval results file holding several).
Result<EvalRun> ReadGatheredRun(const GatheredLog& log, const EvalLogOptions& options, FileSystem& fs,
                                SampleSink* sink) {
  if (log.helm_folder) {
    const std::string& folder = *log.helm_folder;
    return CheckTask(ReadHelmRun(folder, fs), folder, options.task, HelmRunFiles(folder, fs), fs);
  }
  if (const ClassifiedFile* results = log.results()) {
    return LmEvalRunFromResults(*results->document, results->path, log.samples, options.task, log.whole_folder, fs,
                                sink);
  }
  const ClassifiedFile& only = log.files.front();
  switch (only.kind) {
    case LogKind::kInspectZip:
      return CheckTask(ReadInspectEvalZip(only.path, fs), only.path, options.task, {only.path}, fs);
    case LogKind::kInspectJson:
      return CheckTask(InspectRunFromJsonLog(*only.document, only.path), only.path, options.task, {only.path}, fs);
    case LogKind::kJsonlTranscript:
      return CheckTask(ReadJsonlTranscript(only.path, fs), only.path, options.task, {only.path}, fs);
    case LogKind::kLmEvalSamples:
    case LogKind::kLmEvalResults:
      break;
  }
  return Status::InvalidInput(only.path +
                              ": an lm-eval samples file needs its results_*.json "
                              "given with it");
}

// As ReadGatheredRun; a run read whole hands its samples to the sink afterwards.
Result<EvalRun> ReadGathered(const GatheredLog& log, const EvalLogOptions& options, FileSystem& fs, SampleSink* sink) {
  ASSAY_ASSIGN_OR_RETURN(EvalRun run, ReadGatheredRun(log, options, fs, sink));
  if (sink != nullptr) ASSAY_RETURN_IF_ERROR(FeedSamples(run.samples, *sink));
  return run;
}

}  // namespace

Result<EvalRun> ReadEvalLog(const std::vector<std::string>& given, const EvalLogOptions& options,
                            FileSystem& fs, SampleSink* sink) {
  ASSAY_ASSIGN_OR_RETURN(GatheredLog log, GatherLog(given, fs));
  return ReadGathered(log, options, fs, sink);
}

Status ForEachEvalLogBenchmark(const std::vector<std::string>& given, const std::vector<std::string>& tasks,
                               FileSystem& fs, const std::function<Status(EvalRun)>& visit, SampleSink* sink) {
  ASSAY_ASSIGN_OR_RETURN(GatheredLog log, GatherLog(given, fs));
  const ClassifiedFile* results = log.results();
  if (results == nullptr) {
    // Every other format holds one benchmark.
    if (tasks.size() > 1) return Status::InvalidInput(given.front() + ": holds one task; name at most one --task");
    ASSAY_ASSIGN_OR_RETURN(EvalRun run, ReadGathered(log, EvalLogOptions{.task = tasks.empty() ? "" : tasks[0]}, fs, sink));
    return visit(std::move(run));
  }
  const std::vector<std::string> names = tasks.empty() ? LmEvalTopLevelBenchmarks(*results->document) : tasks;
  std::set<std::string> read;  // the samples files some benchmark took
  for (const std::string& name : names) {
    ASSAY_ASSIGN_OR_RETURN(EvalRun run, LmEvalRunFromResults(*results->document, results->path, log.samples, name,
                                                             /*whole_folder=*/true, fs, sink));
    for (const EvalLogFile& file : run.files) read.insert(file.name);
    ASSAY_RETURN_IF_ERROR(visit(std::move(run)));
  }
  // Given files are meant to be read: one no benchmark took is an error.
  for (const std::string& path : log.samples) {
    if (!log.whole_folder && !read.contains(path.substr(path.rfind('/') + 1))) {
      return Status::InvalidInput(path + ": the samples of none of the benchmarks claimed (" + Joined(names, ", ") + ")");
    }
  }
  return Status::Ok();
}

}  // namespace assay
