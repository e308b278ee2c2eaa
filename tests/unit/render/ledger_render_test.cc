// The ledger renderers (src/render/ledger_render.h) on hand-made results.
#include <gtest/gtest.h>

#include "render/ledger_render.h"

namespace assay {
namespace {

// A record's text cannot forge a line.
TEST(LedgerRender, TheLogShowsOneLinePerRecordWithItsMarkAndEscapesWhatARecordSays) {
  LedgerLog log;
  LogEntry counted;
  counted.record.position = 1;
  counted.record.id = std::string(64, 'a');
  counted.record.commit = std::string(40, 'c');
  counted.record.kind = RecordKind::kModel;
  counted.record.predicate_type = "https://assay.dev/model/v1";
  counted.headline = "model evil\nforged line";
  LogEntry refused = counted;
  refused.record.position = 0;
  refused.headline = "model acme/a";
  refused.mark = "NOT COUNTED";
  refused.reason = "no signature by a vendor in the trust file";
  log.entries = {counted, refused};
  // Ids cut to 16 hex digits, whole with long_ids.
  EXPECT_EQ(RenderText(log), "     1  " + std::string(16, 'a') + "  cccccccccccc  model evil\\nforged line\n" +
                                 "     0  " + std::string(16, 'a') + "  cccccccccccc  model acme/a  NOT COUNTED\n");
  EXPECT_EQ(RenderText(log, /*long_ids=*/true),
            "     1  " + std::string(64, 'a') + "  " + std::string(40, 'c') + "  model evil\\nforged line\n" +
                "     0  " + std::string(64, 'a') + "  " + std::string(40, 'c') + "  model acme/a  NOT COUNTED\n");
  nlohmann::json json = RenderJson(log);
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0]["summary"], "model evil\nforged line");  // JSON escapes by its own rules
  EXPECT_EQ(json[0]["counts"], true);
  EXPECT_FALSE(json[0].contains("problem"));
  EXPECT_EQ(json[1]["problem"], "NOT COUNTED: no signature by a vendor in the trust file");
}

TEST(LedgerRender, PullSaysWhatHappened) {
  PulledLedger pulled;
  pulled.remote = "evaluator";
  pulled.outcome.kind = PullOutcome::Kind::kMerged;
  pulled.outcome.new_records = 2;
  pulled.outcome.head = std::string(40, 'f');
  EXPECT_EQ(RenderText(pulled), "pulled     evaluator: merged, 2 new records verified, head ffffffffffff\n");
  EXPECT_EQ(RenderText(PushedLedger{"mirror", std::nullopt}), "pushed     (nothing) to mirror\n");
}

}  // namespace
}  // namespace assay
