#include "evallog/sample_sink.h"

namespace assay {

Status FeedSamples(std::vector<EvalSample>& samples, SampleSink& sink) {
  for (EvalSample& sample : samples) {
    ASSAY_ASSIGN_OR_RETURN(std::string prepared, sink.Prepare(sample));
    ASSAY_RETURN_IF_ERROR(sink.Take(std::move(sample), std::move(prepared)));
  }
  samples.clear();
  return Status::Ok();
}

}  // namespace assay
