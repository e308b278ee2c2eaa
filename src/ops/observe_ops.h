// `assay observe CHECKOUT`: one signed observation record (docs/spec/
// observation.md) per revision of a model repository's history that this
// observer has not observed before; a history rewritten since (revisions
// observed before and no longer reachable) is recorded in the new head's
// observation and reported.
#pragma once

#include <string>
#include <vector>

#include "ops/context.h"
#include "ops/publish.h"
#include "record/observation_statement.h"

namespace assay {

struct ObserveRequest {
  std::string checkout;  // a git clone of the repository; pointers are enough
  std::string rev;       // the revision to walk from; "" for HEAD
  std::string source;    // "" for the one remote "origin" names (ledger/hub_history.h, HubSourceOfUrl)
};

struct ObservedRevision {
  Observation observation;
  PublishedRecord published;
};

struct ObserveOutcome {
  std::string source;
  std::string head;              // the commit walked from
  size_t reachable = 0;          // revisions reachable from it
  size_t observed_before = 0;    // of those, observed before by this observer
  std::vector<ObservedRevision> observed;  // signed now, oldest first
  std::vector<MissingRevision> gone;       // observed before, no longer reachable: found now
};

// Reads the history before the key is unlocked (kInvalidInput naming the
// folder for a checkout it cannot read); observations that count as this
// key's (signed by it, in the observer role or as the signer's own key) are
// what "observed before" means. Signs nothing when nothing is new.
Result<ObserveOutcome> Observe(Context& context, const ObserveRequest& request);

}  // namespace assay
