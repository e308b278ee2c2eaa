// Writes the benchmark's synthetic model: bench_make_model DIR [SIZE_GIB [SHARDS]]
// (default about 2 GiB in 4 BF16 shards; the layer count scales with the size).
// SHARDS=1 writes one model.safetensors and no index: the single-file case that
// shows the hasher's memory stays bounded whatever the file size.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "model/synthetic_model.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: bench_make_model DIR [SIZE_GIB [SHARDS]]\n");
    return 2;
  }
  assay::SyntheticModelSpec spec = assay::BenchmarkModelSpec();
  if (argc >= 3) {
    const double target = std::atof(argv[2]) * double(uint64_t{1} << 30);
    const double per_layer = 2.0 * double(2 * spec.hidden * spec.hidden + 2 * spec.kv_hidden * spec.hidden +
                                          3 * spec.intermediate * spec.hidden + 2 * spec.hidden);
    const double fixed = 2.0 * double(2 * spec.vocab * spec.hidden + spec.hidden);
    spec.layers = target > fixed ? static_cast<uint64_t>((target - fixed) / per_layer + 0.5) : 1;
  }
  if (argc == 4) {
    const long shards = std::atol(argv[3]);
    if (shards < 1 || shards > 99999) {
      std::fprintf(stderr, "bench_make_model: SHARDS must be 1 to 99999, not %s\n", argv[3]);
      return 2;
    }
    spec.shards = static_cast<uint64_t>(shards);
  }
  assay::Status status = assay::WriteSyntheticModel(argv[1], spec);
  if (!status.ok()) {
    std::fprintf(stderr, "bench_make_model: %s\n", status.message().c_str());
    return 3;
  }
  return 0;
}
