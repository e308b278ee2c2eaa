// The whole-run benchmark (issue 13, "Sizes people run"; not run by CI):
//   bench_group_run DIR SAMPLES ROW_BYTES [TASKS]   (default 60 tasks)
// Writes a generated lm-eval run in lm-eval's own format, its hashes
// included: TASKS tasks in groups of 10 under one top group, SAMPLES rows in
// all, each about ROW_BYTES long. Then runs, each in a process of its own
// (this program again, with --step) so that each peak resident memory is
// that command's own: the claim (read every samples file and recompute
// lm-eval's hashes; recompute every task's and the group's score; commit to
// the salted transcript root; write the opening), verify claim --transcript
// (scan the opening), and a reproduction of the group (the same run again,
// paired with the opened samples across every task). Prints MB of samples
// per second for the claim, per core over the process's CPU time, and
// sha256sum's and openssl's times over the same samples in the same run.
// The runs: 200000 2048 and 1000000 200 (rows of this format are at
// least about 720 bytes: the smallest is written instead).
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "claim/claim_draft.h"
#include "claim/reproduction_draft.h"
#include "claim/synthetic_lm_eval.h"
#include "claim/transcript_builder.h"
#include "claim/transcript_opening.h"
#include "evallog/eval_log.h"
#include "record/claim_statement.h"
#include "record/model_statement.h"

namespace assay {
namespace {

template <typename T>
T Check(Result<T> result) {
  if (!result.ok()) {
    std::fprintf(stderr, "bench_group_run: %s\n", result.status().message().c_str());
    std::exit(1);
  }
  return std::move(result).value();
}

double Timed(const char* step, uint64_t samples, const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%-44s %8.3f s  %10.0f samples/s\n", step, seconds, static_cast<double>(samples) / seconds);
  return seconds;
}

// Seconds of CPU the process has used, user and system.
double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double PeakMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024;
}

// The claim as `assay attest claim` makes it: every sample committed to as
// it is read, its leaf kept in a scratch file, the opening written from it;
// the claim's statement kept beside it for the reproduction.
void ClaimStep(const std::string& dir, uint64_t bytes, uint64_t samples) {
  FileSystem& fs = LocalFileSystem();
  const std::function<TranscriptSalt()> new_salt = RandomSalt;
  TranscriptBuilder builder(new_salt, dir);
  EvalRun run;
  ClaimDraft draft;
  double claim = 0;
  claim += Timed("read the run, recompute lm-eval's hashes, leaves", samples,
                 [&] { run = Check(ReadEvalLog({dir + "/run"}, EvalLogOptions{.task = "bench"}, fs, &builder)); });
  if (!run.hash_check.ok()) std::exit(1);
  claim += Timed("recompute scores, commit to the root", samples, [&] {
    ClaimBinding binding;
    binding.endpoint = Endpoint{"acme", "bench"};
    draft = Check(DraftClaim(run, Check(builder.Finish()), binding, nullptr, ClaimDraftOptions{}));
  });
  const std::string opening_path = dir + "/opening.jsonl";
  claim += Timed("write the transcript opening", samples, [&] {
    std::filesystem::remove(opening_path);
    StagedFile staged = Check(StagedFile::StageWritten(
        opening_path, [&](const ByteSink& write) { return draft.transcript->WriteOpening(write); }, 0600, false));
    if (!staged.Publish().ok()) std::exit(1);
  });
  const double cpu = CpuSeconds();
  std::printf("%-44s %8.3f s  %.1f MB/s of samples, %.1f MB/s per core (%.3f s of CPU)\n", "claim, signing aside",
              claim, static_cast<double>(bytes) / 1e6 / claim, static_cast<double>(bytes) / 1e6 / cpu, cpu);
  std::ofstream(dir + "/claim.json") << Check(StatementBytes(ClaimStatement(draft.claim)));
  std::ofstream(dir + "/root") << ToHex(draft.transcript->root());
}

void VerifyStep(const std::string& dir, uint64_t samples) {
  std::stringstream root;
  root << std::ifstream(dir + "/root").rdbuf();
  Timed("verify: scan the opening, recompute the root", samples, [&] {
    const ScannedTranscript scanned = Check(ScanTranscriptOpening(LocalFileSystem(), dir + "/opening.jsonl"));
    if (ToHex(scanned.root) != root.str()) std::exit(1);
  });
}

// The reproduction as `attest reproduction --claim-transcript` drafts it, in
// its order: the rerun committed to as it is read, then the claim's samples
// scanned from its opening; both sides held as their ids, digests and
// scores, and compared one task's samples at a time.
void ReproduceStep(const std::string& dir, uint64_t samples) {
  FileSystem& fs = LocalFileSystem();
  std::stringstream statement;
  statement << std::ifstream(dir + "/claim.json").rdbuf();
  const Claim claim = Check(ParseClaimStatement(statement.str()));
  const std::function<TranscriptSalt()> new_salt = RandomSalt;
  TranscriptBuilder builder(new_salt, dir, /*with_digests=*/true);
  EvalRun run;
  CommittedSamples rerun;
  Timed("reproduce: read the rerun", samples, [&] {
    run = Check(ReadEvalLog({dir + "/run"}, EvalLogOptions{.task = "bench"}, fs, &builder));
    rerun = Check(builder.Finish());
  });
  ScannedTranscript claimed;
  Timed("reproduce: scan the claim's opening", samples,
        [&] { claimed = Check(ScanTranscriptOpening(fs, dir + "/opening.jsonl", /*with_digests=*/true)); });
  Timed("reproduce: pair every task", samples, [&] {
    const ReproductionDraft reproduction = Check(DraftReproduction(std::string(64, 'a'), claim, claimed.scored, run,
                                                                   std::move(rerun), "", "", ReproductionDraftOptions{}));
    if (reproduction.reproduction.verdicts.empty()) std::exit(1);
  });
}

// Runs `command` through the shell and gives its wall time.
double TimedCommand(const std::string& command) {
  const auto start = std::chrono::steady_clock::now();
  if (std::system(command.c_str()) != 0) {
    std::fprintf(stderr, "bench_group_run: failed: %s\n", command.c_str());
    std::exit(1);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int Main(int argc, char** argv) {
  if (argc == 6 && std::string(argv[1]) == "--step") {
    const std::string step = argv[2];
    const std::string dir = argv[3];
    const uint64_t bytes = std::strtoull(argv[4], nullptr, 10);
    const uint64_t samples = std::strtoull(argv[5], nullptr, 10);
    if (step == "claim") ClaimStep(dir, bytes, samples);
    if (step == "verify") VerifyStep(dir, samples);
    if (step == "reproduce") ReproduceStep(dir, samples);
    std::printf("peak RSS of the %s: %.1f MiB\n", step.c_str(), PeakMiB());
    return 0;
  }
  if (argc < 4) {
    std::fprintf(stderr, "usage: bench_group_run DIR SAMPLES ROW_BYTES [TASKS]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const uint64_t samples = std::strtoull(argv[2], nullptr, 10);
  const uint64_t row_bytes = std::strtoull(argv[3], nullptr, 10);
  const uint64_t tasks = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 60;
  FileSystem& fs = LocalFileSystem();

  // A four-choice row without its question is about 720 bytes (the requests,
  // responses and hashes); the question carries the rest, and appears five
  // times (the doc and each request's prompt). Shorter rows than that are
  // not written: the row size printed is the one measured.
  SyntheticLmEvalSpec spec;
  spec.model_name = "acme/bench";
  spec.question_bytes = row_bytes > 720 ? (row_bytes - 720) / 5 : 0;
  nlohmann::json top = nlohmann::json::array();
  for (uint64_t t = 0; t < tasks; ++t) {
    const std::string group = "bench_g" + std::to_string(t / 10);
    const std::string name = group + "_t" + std::to_string(t % 10);
    spec.tasks.push_back({name, samples / tasks + (t < samples % tasks ? 1 : 0), 0.5 + 0.4 * static_cast<double>(t % 7) / 7});
    if (!spec.group_subtasks.contains(group)) {
      spec.group_subtasks[group] = nlohmann::json::array();
      top.push_back(group);
    }
    spec.group_subtasks[group].push_back(name);
  }
  spec.group_subtasks["bench"] = top;
  const std::string folder = dir + "/run";
  std::filesystem::remove_all(folder);
  Check(WriteSyntheticLmEvalRun(fs, folder, spec));
  uint64_t bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().filename().string().starts_with("samples_")) bytes += entry.file_size();
  }
  std::printf("run: %llu samples in %llu tasks, %.1f MiB of samples (%.0f bytes a row), peak so far %.0f MiB\n",
              static_cast<unsigned long long>(samples), static_cast<unsigned long long>(tasks),
              static_cast<double>(bytes) / (1 << 20), static_cast<double>(bytes) / static_cast<double>(samples),
              PeakMiB());

  // The reference hashers over the same bytes, page cache warm.
  const std::string files = "'" + folder + "'/samples_*";
  TimedCommand("cat " + files + " >/dev/null");
  const double sha256sum = TimedCommand("sha256sum " + files + " >/dev/null");
  const double openssl = TimedCommand("openssl dgst -sha256 " + files + " >/dev/null");
  std::printf("sha256sum %.3f s, openssl dgst -sha256 %.3f s over the samples\n", sha256sum, openssl);
  std::fflush(stdout);
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  for (const char* step : {"claim", "verify", "reproduce"}) {
    const double seconds = TimedCommand("'" + self + "' --step " + step + " '" + dir + "' " + std::to_string(bytes) +
                                        " " + std::to_string(samples));
    std::printf("%s: %.3f s in all (%.2fx sha256sum, %.2fx openssl)\n", step, seconds, seconds / sha256sum,
                seconds / openssl);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace
}  // namespace assay

int main(int argc, char** argv) { return assay::Main(argc, argv); }
