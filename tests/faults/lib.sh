# What the fault scripts share (sourced): the checks after each trial. The
# script sets ASSAY, WORK (with WORK/acknowledged: one record id a line, each
# an append that exited 0), LEDGER, the counters `broken` and `lost`, and
# defines `complain MESSAGE`.

# check_ledger: the ledger verifies, and no acknowledged record is gone.
check_ledger() {
  if ! "$ASSAY" verify ledger --ledger "$LEDGER" >/dev/null 2>"$WORK/verify.err"; then
    broken=$((broken + 1))
    complain "the ledger does not verify: $(cat "$WORK/verify.err")"
  fi
  "$ASSAY" log --ledger "$LEDGER" --limit 1000000 --json >"$WORK/log.json"
  local missing
  missing=$(python3 - "$WORK/acknowledged" "$WORK/log.json" <<'PY'
import json, sys
logged = {entry["id"] for entry in json.load(open(sys.argv[2]))}
print(sum(1 for line in open(sys.argv[1]) if line.strip() and line.strip() not in logged))
PY
)
  if ((missing > lost)); then
    complain "$((missing - lost)) acknowledged record(s) lost"
    lost=$missing
  fi
}
