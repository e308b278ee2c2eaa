// Where a reader puts a run's samples when the run is too large to hold them
// all (EvalLogOptions::sink): each sample is handed over as it is read and
// then let go, so reading a million-sample run costs memory for what the
// sink keeps, not for the samples' text.
#pragma once

#include <string>

#include "evallog/eval_run.h"
#include "status.h"

namespace assay {

class SampleSink {
 public:
  virtual ~SampleSink() = default;
  // Work that needs nothing but the sample (a transcript leaf's canonical
  // JSON), run on any thread and in any order: what it returns is handed to
  // Take with the sample. It may take the sample's record, which the reader
  // does not keep. kInvalidInput for a sample the sink refuses.
  virtual Result<std::string> Prepare(EvalSample& sample) const = 0;
  // Called on the reading thread, in the run's sample order.
  virtual Status Take(EvalSample sample, std::string prepared) = 0;
};

// Hands samples already read to `sink`, in order, as a reader would.
Status FeedSamples(std::vector<EvalSample>& samples, SampleSink& sink);

}  // namespace assay
