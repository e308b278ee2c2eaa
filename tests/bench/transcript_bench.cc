// The transcript benchmark (issue 5, "What it must show"; not run by CI):
//   bench_transcript DIR [SAMPLES]   (default 100000)
// Writes a generated assay JSONL transcript of SAMPLES samples (and a second
// run over the same questions) into DIR, then times each step a claim and its
// verification take: reading the log, committing to the transcript (salted
// Merkle root), recomputing the score, writing and re-reading the transcript
// opening (which recomputes every leaf and the root), and a paired verdict.
// Prints seconds per step and samples per second, and peak RSS.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>

#include "claim/score_recompute.h"
#include "claim/synthetic_eval.h"
#include "claim/transcript_opening.h"
#include "claim/verdict.h"
#include "evallog/eval_log.h"
#include "evallog/jsonl_transcript.h"

namespace assay {
namespace {

template <typename T>
T Check(Result<T> result) {
  if (!result.ok()) {
    std::fprintf(stderr, "bench_transcript: %s\n", result.status().message().c_str());
    std::exit(1);
  }
  return std::move(result).value();
}

void Check(const Status& status) {
  if (!status.ok()) {
    std::fprintf(stderr, "bench_transcript: %s\n", status.message().c_str());
    std::exit(1);
  }
}

double Timed(const char* step, uint64_t samples, const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%-40s %8.3f s  %10.0f samples/s\n", step, seconds, static_cast<double>(samples) / seconds);
  return seconds;
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_transcript DIR [SAMPLES]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const uint64_t samples = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 100000;
  std::filesystem::create_directories(dir);
  FileSystem& fs = LocalFileSystem();
  const std::string vendor_path = dir + "/vendor.jsonl", evaluator_path = dir + "/evaluator.jsonl";
  const std::string opening_path = dir + "/vendor.opening.jsonl";
  SyntheticEvalSpec spec;
  spec.samples = samples;
  spec.accuracy = 0.8;
  Check(fs.WriteFileAtomically(vendor_path, FormatJsonlTranscript(SyntheticEvalRun(spec)), 0644));
  spec.accuracy = 0.7;
  spec.seed = 2;
  Check(fs.WriteFileAtomically(evaluator_path, FormatJsonlTranscript(SyntheticEvalRun(spec)), 0644));
  std::printf("transcript: %llu samples, %.1f MiB\n", static_cast<unsigned long long>(samples),
              static_cast<double>(std::filesystem::file_size(vendor_path)) / (1 << 20));

  EvalRun vendor, evaluator;
  Transcript transcript;
  double total = 0;
  total += Timed("read the log (JSONL reader)", samples, [&] { vendor = Check(ReadEvalLog({vendor_path}, {}, fs)); });
  total += Timed("recompute the score", samples, [&] {
    const ScoreRecomputation score = RecomputeScore(vendor.metrics.front(), vendor.samples);
    if (!score.supported()) std::exit(1);
  });
  total += Timed("commit: salted transcript root", samples, [&] { transcript = Check(CommitTranscript(vendor.samples)); });
  total += Timed("write the transcript opening", samples, [&] {
    Check(fs.WriteFileAtomically(opening_path, FormatTranscriptOpening(transcript), 0600));
  });
  std::printf("%-40s %8.3f s  (a claim, signing aside)\n", "total", total);
  double verify = 0;
  verify += Timed("verify: re-read opening, recompute root", samples,
                  [&] { transcript = Check(ReadTranscriptOpening(fs, opening_path)); });
  std::vector<EvalSample> opened;
  verify += Timed("verify: samples back from the leaves", samples, [&] { opened = Check(SamplesOf(transcript)); });
  verify += Timed("verify: recompute the score", samples, [&] {
    if (!RecomputeScore(vendor.metrics.front(), opened).supported()) std::exit(1);
  });
  std::printf("%-40s %8.3f s  (verify claim --transcript)\n", "total", verify);
  evaluator = Check(ReadEvalLog({evaluator_path}, {}, fs));
  Timed("paired verdict (same inputs)", samples, [&] {
    const MetricVerdict verdict = CompareMetric(vendor.metrics.front(), opened, evaluator.metrics.front(),
                                                evaluator.samples, VerdictOptions());
    std::printf("  verdict: %s\n", std::string(VerdictKindName(verdict.kind)).c_str());
  });
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak RSS: %.1f MiB\n", static_cast<double>(usage.ru_maxrss) / 1024);
  return 0;
}

}  // namespace
}  // namespace assay

int main(int argc, char** argv) { return assay::Main(argc, argv); }
