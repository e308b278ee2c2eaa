// The weight forensics benchmark (tests/bench/README.md): writes a model A
// and two variants of it, all in bf16 so that rounding noise is present,
//   B1 = A plus a planted rank-8 update U V^T on self_attn.q_proj and
//        self_attn.v_proj of every layer (a merged LoRA),
//   B2 = A plus full-rank Gaussian noise on mlp.down_proj of every layer and
//        self_attn.o_proj of layer 0 (a full fine-tune),
// then runs the forensics library on A-B1 and A-B2 and checks that it finds
// exactly the planted tensors, with rank 8 in B1 and as full-rank in B2. It
// prints the time per GiB and the peak resident set (getrusage).
//
//   forensics_bench DIR [--small] [--keep] [--threads N]
//
// Default: hidden 2048, 10 layers, about 1.2 GiB per model (3.5 GiB of disk).
// --small: hidden 256, 2 layers, for a quick check. --keep reuses the folders
// of an earlier run. Exit 0 when every check holds, 1 when one does not, 2 on
// a usage error, 3 when writing or reading fails.
#include <sys/resource.h>

#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "model/forensics.h"
#include "model/forensics_summary.h"

namespace {

using assay::Status;

struct Sizes {
  uint64_t vocab, hidden, kv_hidden, intermediate, layers;
};
constexpr Sizes kDefault{32000, 2048, 512, 5632, 10};
constexpr Sizes kSmall{4000, 256, 64, 704, 2};

constexpr uint32_t kPlantedRank = 8;
constexpr double kPlantedRelative = 0.02;  // ||U V^T||_F / ||W||_F
constexpr double kNoiseRelative = 0.03;    // noise standard deviation / weight standard deviation
constexpr double kWeightScale = 0.02;      // weight standard deviation

enum class Change { kNone, kLowRank, kNoise };

struct Tensor {
  std::string name;
  uint64_t rows, cols;  // a vector has rows 1
  Change in_b1 = Change::kNone, in_b2 = Change::kNone;
};

std::vector<Tensor> Tensors(const Sizes& s) {
  std::vector<Tensor> tensors = {{"model.embed_tokens.weight", s.vocab, s.hidden}};
  for (uint64_t layer = 0; layer < s.layers; ++layer) {
    const std::string p = "model.layers." + std::to_string(layer) + ".";
    tensors.push_back({p + "input_layernorm.weight", 1, s.hidden});
    tensors.push_back({p + "self_attn.q_proj.weight", s.hidden, s.hidden, Change::kLowRank});
    tensors.push_back({p + "self_attn.k_proj.weight", s.kv_hidden, s.hidden});
    tensors.push_back({p + "self_attn.v_proj.weight", s.kv_hidden, s.hidden, Change::kLowRank});
    tensors.push_back({p + "self_attn.o_proj.weight", s.hidden, s.hidden, Change::kNone,
                       layer == 0 ? Change::kNoise : Change::kNone});
    tensors.push_back({p + "post_attention_layernorm.weight", 1, s.hidden});
    tensors.push_back({p + "mlp.gate_proj.weight", s.intermediate, s.hidden});
    tensors.push_back({p + "mlp.up_proj.weight", s.intermediate, s.hidden});
    tensors.push_back({p + "mlp.down_proj.weight", s.hidden, s.intermediate, Change::kNone, Change::kNoise});
  }
  tensors.push_back({"model.norm.weight", 1, s.hidden});
  tensors.push_back({"lm_head.weight", s.vocab, s.hidden});
  return tensors;
}

// A cheap deterministic stream of approximately normal values (Irwin-Hall
// sum of four uniforms), regenerated per (tensor, row) so that A's row can be
// rebuilt when writing B without holding A.
class NormalStream {
 public:
  explicit NormalStream(uint64_t seed) : state_(seed) {}
  double Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    double sum = 0;
    for (int i = 0; i < 4; ++i) sum += double((z >> (16 * i)) & 0xFFFF);
    return (sum / 65536.0 - 2.0) * std::sqrt(3.0);  // mean 0, variance 1
  }

 private:
  uint64_t state_;
};

uint64_t Seed(const std::string& name, uint64_t row, uint64_t salt) {
  return std::hash<std::string>()(name) * 0x100000001B3ull ^ (row + 1) * 0xD6E8FEB86659FD93ull ^ salt;
}

uint16_t Bf16(double x) {
  uint32_t bits = std::bit_cast<uint32_t>(float(x));
  bits += 0x7FFF + ((bits >> 16) & 1);
  return static_cast<uint16_t>(bits >> 16);
}

// Row `row` of A's tensor: weights, or norm vectors near 1.
void RowOfA(const Tensor& t, uint64_t row, std::vector<double>& out) {
  NormalStream normal(Seed(t.name, row, 1));
  const bool norm = t.rows == 1;
  for (double& x : out) x = norm ? 1.0 + 0.05 * normal.Next() : kWeightScale * normal.Next();
}

// Writes one model.safetensors whose tensors are A's with `change_of`
// applied, row by row: nothing larger than a row (and the factors U, V) is held.
Status WriteModel(const std::string& folder, const std::vector<Tensor>& tensors,
                  const std::function<Change(const Tensor&)>& change_of) {
  std::filesystem::create_directories(folder);
  nlohmann::json header = nlohmann::json::object();
  uint64_t offset = 0;
  for (const Tensor& t : tensors) {
    const uint64_t bytes = t.rows * t.cols * 2;
    nlohmann::json shape = t.rows == 1 ? nlohmann::json{t.cols} : nlohmann::json{t.rows, t.cols};
    header[t.name] = {{"dtype", "BF16"}, {"shape", shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::ofstream out(folder + "/model.safetensors", std::ios::binary | std::ios::trunc);
  uint64_t length = text.size();
  out.write(reinterpret_cast<const char*>(&length), 8);  // little-endian hosts only, as the bench runs
  out.write(text.data(), std::streamsize(text.size()));
  std::vector<double> row;
  std::vector<uint16_t> encoded;
  for (const Tensor& t : tensors) {
    const Change change = change_of(t);
    // U (rows x r) and V (cols x r), scaled so ||U V^T||_F is kPlantedRelative of ||W||_F.
    std::vector<double> u, v;
    if (change == Change::kLowRank) {
      NormalStream normal(Seed(t.name, 0, 2));
      u.resize(t.rows * kPlantedRank);
      v.resize(t.cols * kPlantedRank);
      for (double& x : u) x = normal.Next();
      for (double& x : v) x = normal.Next();
    }
    const double scale = kPlantedRelative * kWeightScale / std::sqrt(double(kPlantedRank));
    row.resize(t.cols);
    encoded.resize(t.cols);
    for (uint64_t r = 0; r < t.rows; ++r) {
      RowOfA(t, r, row);
      if (change == Change::kLowRank) {
        for (uint64_t c = 0; c < t.cols; ++c) {
          double sum = 0;
          for (uint32_t k = 0; k < kPlantedRank; ++k) sum += u[r * kPlantedRank + k] * v[c * kPlantedRank + k];
          row[c] += scale * sum;
        }
      } else if (change == Change::kNoise) {
        NormalStream normal(Seed(t.name, r, 3));
        for (double& x : row) x += kNoiseRelative * kWeightScale * normal.Next();
      }
      for (uint64_t c = 0; c < t.cols; ++c) encoded[c] = Bf16(row[c]);
      out.write(reinterpret_cast<const char*>(encoded.data()), std::streamsize(encoded.size() * 2));
    }
  }
  out.close();
  if (!out) return Status::IoError(folder + "/model.safetensors: cannot write");
  std::ofstream(folder + "/config.json") << "{\"architectures\": [\"LlamaForCausalLM\"], \"model_type\": \"llama\"}\n";
  return Status::Ok();
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// User and system CPU time of the whole process: less sensitive than wall
// time to other work on the machine.
double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

constexpr double kGiB = double(uint64_t{1} << 30);

// Runs forensics on A and `b`; prints what was found; true when it is
// exactly `expected` (tensor name -> verdict), every low-rank one of rank 8.
bool RunPair(const std::string& label, const assay::ModelManifest& a, const std::string& folder_b,
             const std::vector<Tensor>& tensors, const std::function<Change(const Tensor&)>& change_of,
             const assay::ForensicsOptions& options) {
  auto start = std::chrono::steady_clock::now();
  assay::ManifestOptions manifest_options;
  manifest_options.threads = options.threads;
  assay::Result<assay::ModelManifest> b = assay::BuildModelManifest(assay::LocalFileSystem(), folder_b, manifest_options);
  if (!b.ok()) {
    std::fprintf(stderr, "forensics_bench: %s\n", b.status().message().c_str());
    std::exit(3);
  }
  const double hash_seconds = Seconds(start);
  start = std::chrono::steady_clock::now();
  const double cpu_start = CpuSeconds();
  assay::Result<assay::ForensicsReport> report = assay::CompareWeights(assay::LocalFileSystem(), a, *b, options);
  if (!report.ok()) {
    std::fprintf(stderr, "forensics_bench: %s\n", report.status().message().c_str());
    std::exit(3);
  }
  const double compare_seconds = Seconds(start);
  const double compare_cpu = CpuSeconds() - cpu_start;
  assay::ForensicsSummary summary = assay::SummarizeForensics(*report);

  bool ok = true;
  std::printf("\n%s\n", label.c_str());
  std::printf("  found     %s\n", summary.sentence.c_str());
  for (const Tensor& t : tensors) {
    const assay::TensorForensics* found = nullptr;
    for (const assay::TensorForensics& candidate : report->tensors) {
      if (candidate.name == t.name) found = &candidate;
    }
    const Change planted = change_of(t);
    const assay::TensorVerdict expected = planted == Change::kLowRank  ? assay::TensorVerdict::kLowRank
                                          : planted == Change::kNoise ? assay::TensorVerdict::kFullRank
                                                                      : assay::TensorVerdict::kIdentical;
    bool right = found != nullptr && found->verdict == expected &&
                 (expected != assay::TensorVerdict::kLowRank || found->rank.rank == kPlantedRank);
    ok &= right;
    if (planted == Change::kNone && right) continue;
    // The gap the rank is read from: the smallest value counted, the largest not counted.
    const std::vector<double> none;
    const std::vector<double>& sigma = found ? found->rank.singular_values : none;
    const uint64_t rank = found ? found->rank.rank : 0;
    auto at = [&](uint64_t i) { return i < sigma.size() ? sigma[i] : 0.0; };
    std::printf("  %-40s %-10s rank %-5s rel.change %.4f  sigma: max %.3g, last counted %.3g, next %.3g; "
                "threshold %.3g%s\n",
                t.name.c_str(), found ? std::string(assay::TensorVerdictName(found->verdict)).c_str() : "missing",
                found && found->rank.saturated ? "> 32" : std::to_string(rank).c_str(),
                found && found->relative_change ? *found->relative_change : 0.0, at(0), rank > 0 ? at(rank - 1) : 0.0,
                at(rank), found ? found->rank.threshold : 0.0, right ? "" : "   <-- WRONG");
  }
  const double decoded_gib = double(report->bytes_read) / kGiB;
  std::printf("  hashing B %.2f s; forensics %.2f s (%.2f s of CPU) for %llu tensor pairs, %.2f GiB decoded "
              "(both sides): %.2f s per GiB decoded, %.2f s of CPU per GiB\n",
              hash_seconds, compare_seconds, compare_cpu, static_cast<unsigned long long>(report->tensors_decoded),
              decoded_gib, decoded_gib > 0 ? compare_seconds / decoded_gib : 0.0,
              decoded_gib > 0 ? compare_cpu / decoded_gib : 0.0);
  std::printf("  peak RSS so far %.1f MiB\n", PeakRssMiB());
  std::printf("  check     %s\n", ok ? "exactly the planted tensors, with the planted kind and rank" : "FAILED");
  return ok;
}

int Usage() {
  std::fprintf(stderr, "usage: forensics_bench DIR [--small] [--keep] [--threads N]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  const std::string dir = argv[1];
  Sizes sizes = kDefault;
  bool keep = false;
  assay::ForensicsOptions options;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--small") == 0) {
      sizes = kSmall;
    } else if (std::strcmp(argv[i], "--keep") == 0) {
      keep = true;
    } else if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      options.threads = static_cast<unsigned>(std::atoi(argv[++i]));
    } else {
      return Usage();
    }
  }
  const std::vector<Tensor> tensors = Tensors(sizes);
  auto b1 = [](const Tensor& t) { return t.in_b1; };
  auto b2 = [](const Tensor& t) { return t.in_b2; };
  const std::string tag = std::to_string(sizes.hidden) + "x" + std::to_string(sizes.layers);
  const std::string folder_a = dir + "/a-" + tag, folder_b1 = dir + "/b1-" + tag, folder_b2 = dir + "/b2-" + tag;

  auto start = std::chrono::steady_clock::now();
  for (const auto& [folder, change_of] : {std::pair{folder_a, std::function<Change(const Tensor&)>(
                                                                  [](const Tensor&) { return Change::kNone; })},
                                          std::pair{folder_b1, std::function<Change(const Tensor&)>(b1)},
                                          std::pair{folder_b2, std::function<Change(const Tensor&)>(b2)}}) {
    if (keep && std::filesystem::exists(folder + "/config.json")) continue;
    Status written = WriteModel(folder, tensors, change_of);
    if (!written.ok()) {
      std::fprintf(stderr, "forensics_bench: %s\n", written.message().c_str());
      return 3;
    }
  }
  const double write_seconds = Seconds(start);

  start = std::chrono::steady_clock::now();
  assay::ManifestOptions manifest_options;
  manifest_options.threads = options.threads;
  assay::Result<assay::ModelManifest> a = assay::BuildModelManifest(assay::LocalFileSystem(), folder_a, manifest_options);
  if (!a.ok()) {
    std::fprintf(stderr, "forensics_bench: %s\n", a.status().message().c_str());
    return 3;
  }
  const double hash_seconds = Seconds(start);
  const double model_gib = double(a->total_bytes) / kGiB;
  std::printf("weight forensics benchmark: hidden %llu, %llu layers, %zu tensors, %.2f GiB of bf16 per model\n",
              static_cast<unsigned long long>(sizes.hidden), static_cast<unsigned long long>(sizes.layers),
              tensors.size(), model_gib);
  std::printf("written in %.1f s%s; hashing A %.2f s (%.2f GiB/s)\n", write_seconds, keep ? " (or reused)" : "",
              hash_seconds, model_gib / hash_seconds);

  bool ok = RunPair("A vs B1: planted rank-8 update (||UV^T|| = 2% of ||W||) on q_proj and v_proj of every layer",
                    *a, folder_b1, tensors, b1, options);
  ok &= RunPair("A vs B2: full-rank noise (3% of the weights' spread) on down_proj of every layer, o_proj of layer 0",
                *a, folder_b2, tensors, b2, options);
  std::printf("\npeak RSS %.1f MiB (the whole process: generation, hashing and forensics)\n", PeakRssMiB());
  if (!keep) {
    for (const std::string& folder : {folder_a, folder_b1, folder_b2}) std::filesystem::remove_all(folder);
  }
  return ok ? 0 : 1;
}
