#!/bin/bash
# End-to-end: observing a model repository's history (issue 14, item 1). A
# vendor's repo is made with Debian's git and git-lfs: an upload, a second
# that replaces the weights, a third that changes only config.json, and a
# commit that re-commits the same pointers. An auditor observes a pointer
# clone (GIT_LFS_SKIP_SMUDGE=1): one signed record per revision, each file's
# pointer oid or blob digest. Observed again, nothing new is signed; after a
# force-push that drops two revisions, the new head's observation lists them
# and the command says the history was rewritten. Bad checkouts are refused
# with one line and nothing appended.
source "$(dirname "$0")/lib.sh"
require_tool git
require_tool git-lfs

export ASSAY_CONFIG_DIR="$WORK/config"
export ASSAY_CACHE_DIR="$WORK/cache"
export ASSAY_LEDGER="$WORK/ledger"
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.name "Acme Release" && git config --global user.email "release@acme.example"
git config --global init.defaultBranch main
cd "$WORK"

run "$ASSAY" init "$ASSAY_LEDGER"
expect_code 0
run "$ASSAY" key generate --unencrypted --key "$WORK/auditor.key"
expect_code 0
run "$ASSAY" trust add acme-auditor --role observer --key-file "$WORK/auditor.pub"
expect_code 0
ledger_size() { "$ASSAY" log --limit 1000 | wc -l; }

# commit MESSAGE DATE: commits everything in the vendor's repo at DATE.
commit() {
  git -C "$WORK/vendor" add -A
  GIT_AUTHOR_DATE="$2" GIT_COMMITTER_DATE="$2" git -C "$WORK/vendor" commit -q --allow-empty -m "$1"
}
mkdir "$WORK/vendor"
git -C "$WORK/vendor" init -q
git -C "$WORK/vendor" lfs install --local >/dev/null
git -C "$WORK/vendor" lfs track '*.safetensors' >/dev/null
fixtures --seed 1 safetensors "$WORK/vendor/model.safetensors"
echo '{"model_type": "llama", "num_hidden_layers": 2}' >"$WORK/vendor/config.json"
commit "first upload" "2026-12-01T09:00:00Z"
cp "$WORK/vendor/model.safetensors" "$WORK/first.safetensors"
fixtures --seed 2 safetensors "$WORK/vendor/model.safetensors"
commit "second upload: fixed weights" "2026-12-01T15:00:00Z"
echo '{"model_type": "llama", "num_hidden_layers": 3}' >"$WORK/vendor/config.json"
commit "third upload: config only" "2026-12-02T09:00:00Z"
commit "re-upload, same files" "2026-12-02T10:00:00Z"
REVS=($(git -C "$WORK/vendor" rev-list --reverse HEAD))
GIT_LFS_SKIP_SMUDGE=1 git clone -q "$WORK/vendor" "$WORK/checkout"
git -C "$WORK/checkout" remote set-url origin https://huggingface.co/acme/widget.git

# observe_json ARGS...: assay observe --json, expects exit 0, keeps it in observe.json.
observe_json() {
  run "$ASSAY" observe "$WORK/checkout" --key "$WORK/auditor.key" --json "$@"
  expect_code 0
  cp "$WORK/stdout" "$WORK/observe.json"
  expect_valid_cli_json observe "$WORK/observe.json"
}

first_observation_records_every_revision() {
  observe_json
  [[ "$(json_get "$WORK/observe.json" 's["source"]')" == hf:acme/widget ]] || fail "source is not from the remote"
  [[ "$(json_get "$WORK/observe.json" '[o["commit"] for o in s["observed"]]')" == "$(printf '%s\n' "${REVS[@]}")" ]] ||
    fail "not one observation per revision, oldest first"
  [[ "$(ledger_size)" == 4 ]] || fail "expected 4 records"
  local i record
  for i in 0 1 2 3; do
    record=$(json_get "$WORK/observe.json" "s['observed'][$i]['record']")
    run "$ASSAY" show "$record" --json
    expect_code 0
    cp "$WORK/stdout" "$WORK/observation-$i.json"
    expect_valid_record observation-statement "$WORK/observation-$i.json"
  done
  # The file table: the weights by their pointer (the bytes' SHA-256 and
  # size, as git-lfs wrote it), config.json and .gitattributes by their own digest.
  "$PYTHON" - "$WORK" "${REVS[@]}" <<'PY' || fail "an observation's content is wrong"
import hashlib, json, subprocess, sys
work, revs = sys.argv[1], sys.argv[2:]
first = open(f"{work}/first.safetensors", "rb").read()
p = [json.load(open(f"{work}/observation-{i}.json"))["predicate"] for i in range(4)]
assert p[0]["evidence"] == "hub-asserted" and p[0]["observer"] == "acme-auditor", p[0]
assert p[0]["revision"]["commit"] == revs[0] and p[0]["revision"]["parents"] == [], p[0]["revision"]
assert p[1]["revision"]["parents"] == [revs[0]]
assert p[0]["revision"]["time"] == "2026-12-01T09:00:00Z" and p[0]["revision"]["message"] == "first upload\n"
assert p[0]["revision"]["author"] == "Acme Release <release@acme.example>"
files = {f["path"]: f for f in p[0]["files"]}
assert sorted(files) == [".gitattributes", "config.json", "model.safetensors"], sorted(files)
assert files["model.safetensors"] == {"path": "model.safetensors", "size": len(first),
                                      "lfsOid": hashlib.sha256(first).hexdigest()}, files["model.safetensors"]
config = subprocess.run(["git", "-C", f"{work}/vendor", "show", f"{revs[0]}:config.json"], capture_output=True).stdout
assert files["config.json"] == {"path": "config.json", "size": len(config), "sha256": hashlib.sha256(config).hexdigest(),
                                "text": config.decode()}, files["config.json"]
assert "text" not in files[".gitattributes"], files[".gitattributes"]
weights = [next(f for f in o["files"] if f["path"] == "model.safetensors")["lfsOid"] for o in p]
assert weights[0] != weights[1] and weights[1] == weights[2] == weights[3], weights
configs = [next(f for f in o["files"] if f["path"] == "config.json")["sha256"] for o in p]
assert configs[0] == configs[1] != configs[2] == configs[3], configs
assert all("missingRevisions" not in o for o in p)
PY
  run "$ASSAY" log
  expect_stdout_contains "observation hf:acme/widget@${REVS[0]:0:12}"
}
check "a first observation signs one record per revision, with every file's pointer or digest" \
  first_observation_records_every_revision

observing_again_adds_only_what_is_new() {
  local before; before=$(ledger_size)
  run "$ASSAY" observe "$WORK/checkout" --key "$WORK/auditor.key"
  expect_code 0
  expect_stdout_contains "nothing new" "(4 revisions reachable, 4 observed before)"
  [[ "$(ledger_size)" == "$before" ]] || fail "observing the same history again appended"
  # A new upload: only it is observed.
  fixtures --seed 3 safetensors "$WORK/vendor/model.safetensors"
  commit "fourth upload" "2026-12-03T09:00:00Z"
  GIT_LFS_SKIP_SMUDGE=1 git -C "$WORK/checkout" pull -q --ff-only "$WORK/vendor" main
  observe_json
  [[ "$(json_get "$WORK/observe.json" 'len(s["observed"])')" == 1 ]] || fail "observed more than the new revision"
  [[ "$(json_get "$WORK/observe.json" 's["observedBefore"]')" == 4 ]] || fail "did not count what was observed before"
  [[ "$(ledger_size)" == "$((before + 1))" ]] || fail "expected one new record"
}
check "observing again signs only the new revision" observing_again_adds_only_what_is_new

rewritten_history_is_recorded() {
  # The vendor force-pushes: the last two revisions go, a replacement comes.
  local gone_a gone_b
  gone_a=$(git -C "$WORK/vendor" rev-parse HEAD~1)
  gone_b=$(git -C "$WORK/vendor" rev-parse HEAD)
  git -C "$WORK/vendor" reset -q --hard HEAD~2
  fixtures --seed 4 safetensors "$WORK/vendor/model.safetensors"
  commit "the real upload" "2026-12-03T12:00:00Z"
  GIT_LFS_SKIP_SMUDGE=1 git -C "$WORK/checkout" fetch -q "$WORK/vendor" main
  git -C "$WORK/checkout" reset -q --hard FETCH_HEAD
  run "$ASSAY" observe "$WORK/checkout" --key "$WORK/auditor.key"
  expect_code 0
  expect_stdout_contains "history rewritten: revision $gone_a, observed at " "history rewritten: revision $gone_b, observed at "
  local head; head=$(git -C "$WORK/checkout" rev-parse HEAD)
  run "$ASSAY" show "$("$ASSAY" log --limit 1 | awk '{print $2}')" --json
  expect_code 0
  cp "$WORK/stdout" "$WORK/head.json"
  [[ "$(json_get "$WORK/head.json" 's["predicate"]["revision"]["commit"]')" == "$head" ]] || fail "the newest record is not the head's"
  [[ "$(json_get "$WORK/head.json" 'sorted(m["commit"] for m in s["predicate"]["missingRevisions"])')" == \
    "$(printf '%s\n' "$gone_a" "$gone_b" | sort)" ]] || fail "the head's observation does not list the gone revisions"
  # Reported once: the next observation has nothing new to say.
  local before; before=$(ledger_size)
  run "$ASSAY" observe "$WORK/checkout" --key "$WORK/auditor.key"
  expect_code 0
  expect_stdout_contains "nothing new"
  ! grep -q "history rewritten" "$WORK/stdout" || fail "reported the same rewrite twice"
  [[ "$(ledger_size)" == "$before" ]] || fail "appended after nothing new"
}
check "a rewritten history is said and recorded in the new head's observation" rewritten_history_is_recorded

bad_checkouts_are_refused() {
  local before; before=$(ledger_size)
  mkdir -p "$WORK/plain"
  run "$ASSAY" observe "$WORK/plain" --key "$WORK/auditor.key"
  expect_code 2
  expect_one_line_error "$WORK/plain" "not a git checkout"
  run "$ASSAY" observe "$WORK/checkout" --rev nosuchbranch --key "$WORK/auditor.key"
  expect_code 2
  expect_one_line_error "$WORK/checkout" "nosuchbranch"
  GIT_LFS_SKIP_SMUDGE=1 git clone -q "$WORK/vendor" "$WORK/no-remote"
  git -C "$WORK/no-remote" remote remove origin
  run "$ASSAY" observe "$WORK/no-remote" --key "$WORK/auditor.key"
  expect_code 2
  expect_one_line_error "$WORK/no-remote" "origin" "--source"
  run "$ASSAY" observe "$WORK/no-remote" --source "hf:acme/has space" --key "$WORK/auditor.key"
  expect_code 2
  expect_one_line_error "--source"
  # A path that is not UTF-8 stops the observation, naming the revision.
  mkdir "$WORK/hostile"
  git -C "$WORK/hostile" init -q
  printf 'x' >"$WORK/hostile/$(printf 'bad\xffname')"
  git -C "$WORK/hostile" add -A
  git -C "$WORK/hostile" commit -q -m "a file whose name is not UTF-8"
  local hostile_head; hostile_head=$(git -C "$WORK/hostile" rev-parse HEAD)
  run "$ASSAY" observe "$WORK/hostile" --source hf:acme/hostile --key "$WORK/auditor.key"
  expect_code 2
  expect_one_line_error "$WORK/hostile" "revision $hostile_head" "not UTF-8"
  [[ "$(ledger_size)" == "$before" ]] || fail "a refused observation appended"
  # --source names it; a key that is no observer's is warned about.
  run "$ASSAY" key generate --unencrypted --key "$WORK/stranger.key"
  run "$ASSAY" observe "$WORK/no-remote" --source hf:acme/widget-mirror --key "$WORK/stranger.key"
  expect_code 0
  expect_stderr_contains "not an observer in the trust file"
  expect_stdout_contains "source     hf:acme/widget-mirror"
}
check "a folder that is no checkout, an unknown revision and an unnamed source are refused" bad_checkouts_are_refused

# A message over 64 KiB is kept to its first 64 KiB and marked; an author's
# bytes that are not UTF-8 become U+FFFD: both are shown, never matched.
long_message_and_odd_author_are_kept_readable() {
  mkdir "$WORK/odd"
  git -C "$WORK/odd" init -q
  echo '{}' >"$WORK/odd/config.json"
  git -C "$WORK/odd" add -A
  "$PYTHON" -c 'print("long " * 20000)' >"$WORK/message.txt"
  # git itself writes names as UTF-8, so the commit object is written by hand.
  local tree commit
  tree=$(git -C "$WORK/odd" write-tree)
  commit=$( { printf 'tree %s\nauthor Acme \xff <release@acme.example> 1764579600 +0000\n' "$tree"
              printf 'committer Acme <release@acme.example> 1764579600 +0000\n\n'
              cat "$WORK/message.txt"; } | git -C "$WORK/odd" hash-object -t commit -w --stdin)
  git -C "$WORK/odd" update-ref HEAD "$commit"
  run "$ASSAY" observe "$WORK/odd" --source hf:acme/odd --key "$WORK/auditor.key" --json
  expect_code 0
  cp "$WORK/stdout" "$WORK/odd.json"
  run "$ASSAY" show "$(json_get "$WORK/odd.json" 's["observed"][0]["record"]')" --json
  expect_code 0
  cp "$WORK/stdout" "$WORK/odd-record.json"
  expect_valid_record observation-statement "$WORK/odd-record.json"
  "$PYTHON" - "$WORK/odd-record.json" <<'PY' || fail "the message or author is not as documented"
import json, sys
revision = json.load(open(sys.argv[1]))["predicate"]["revision"]
assert revision["messageTruncated"] is True and len(revision["message"].encode()) == 65536, len(revision["message"])
assert revision["author"] == "Acme \ufffd <release@acme.example>", revision["author"]
PY
}
check "a long message is cut and marked, an author's odd bytes replaced" long_message_and_odd_author_are_kept_readable

# The timeline: every revision oldest first, what changed, whose bytes match
# the pointers. The vendor's first upload, downloaded and hashed, matches; a
# "download" of the second with other bytes is a pointer mismatch; the same
# bytes as the first under a label are matched by their digests.
history_shows_the_timeline() {
  run "$ASSAY" key generate --unencrypted --key "$WORK/vendor.key"
  run "$ASSAY" trust add acme-vendor --role vendor --key-file "$WORK/vendor.pub"
  mkdir -p "$WORK/download-1" "$WORK/download-2" "$WORK/download-v1"
  git -C "$WORK/vendor" show "${REVS[0]}:config.json" >"$WORK/download-1/config.json"
  cp "$WORK/first.safetensors" "$WORK/download-1/model.safetensors"
  run "$ASSAY" attest model "$WORK/download-1" --name acme/widget --revision "${REVS[0]}" --no-cache --key "$WORK/vendor.key"
  expect_code 0
  git -C "$WORK/vendor" show "${REVS[1]}:config.json" >"$WORK/download-2/config.json"
  fixtures --seed 9 safetensors "$WORK/download-2/model.safetensors"
  run "$ASSAY" attest model "$WORK/download-2" --name acme/widget --revision "${REVS[1]}" --no-cache --key "$WORK/vendor.key"
  expect_code 0
  cp "$WORK/download-1/"* "$WORK/download-v1/"
  run "$ASSAY" attest model "$WORK/download-v1" --name acme/widget --revision v1 --no-cache --key "$WORK/vendor.key"
  expect_code 0
  # A claim on the hashed first upload is named under its revision.
  "$PYTHON" - "$WORK/toy.jsonl" <<'PY'
import json, sys
values = [1.0, 0.0, 1.0, 1.0]
header = {"assay_transcript": 1, "benchmark": {"name": "toy-qa", "version": "1"},
          "harness": {"name": "toy-harness", "version": "0.1"}, "model": {"name": "acme/widget"},
          "metrics": [{"name": "acc", "value": 0.75, "stderr": 0.25, "higher_is_better": True, "aggregation": "mean"}]}
with open(sys.argv[1], "w") as out:
    out.write(json.dumps(header) + "\n")
    for i, value in enumerate(values):
        out.write(json.dumps({"id": f"q{i}", "input": f"question {i}", "response": "a", "metrics": {"acc": value}}) + "\n")
PY
  run "$ASSAY" attest claim "$WORK/toy.jsonl" --model "acme/widget@${REVS[0]}" --key "$WORK/vendor.key"
  expect_code 0
  run "$ASSAY" history acme/widget
  expect_code 0
  joined "$WORK/stdout" 13 >"$WORK/history.txt"  # the history's lines continue at column 13
  expect_stdout_contains "history    acme/widget (hf:acme/widget): 6 revisions" \
    "2026-12-01T09:00:00Z  ${REVS[0]:0:12}  first upload" "observed   by acme-auditor at " \
    "2026-12-02T09:00:00Z  ${REVS[2]:0:12}  third upload: config only"
  "$PYTHON" - "$WORK/history.txt" "${REVS[@]}" <<'PY' || fail "the history's lines are wrong"
import re, sys
text, revs = open(sys.argv[1]).read(), sys.argv[2:]
blocks = re.split(r"\n(?=\d{4}-)", text.split("\n", 1)[1])
by_rev = {b.split()[1]: b for b in blocks if b.strip()}
order = [b.split()[1] for b in blocks if b.strip()]
assert order[:4] == [r[:12] for r in revs], order
first, second, third, fourth = (by_rev[r[:12]] for r in revs)
assert "weights    model.safetensors added" in first, first
assert re.search(r"\n  claim      [0-9a-f]{16} toy-qa", first), first
assert re.search(r"bytes      verified by acme-vendor \(model record [0-9a-f]{16}\)", first), first
assert re.search(r"bytes      verified by acme-vendor \(model record [0-9a-f]{16}, matched by its weight digests\)", first), first
assert "weights    model.safetensors changed" in second and "\n  files" not in second, second
assert re.search(r"POINTER MISMATCH \(model record [0-9a-f]{16} by acme-vendor\): model.safetensors: pointer [0-9a-f]{16}, bytes [0-9a-f]{16}", second), second
assert "weights    no weight change" in third and "files      config.json changed" in third, third
# The key that changed, marked as diff marks an identity key; no other config lines.
assert "\n  config     config.json changed\n    key changed  num_hidden_layers: 2 -> 3  [identity]\n" in third, third
assert "config     " not in first + second + fourth
assert "weights    no weight change" in fourth and "\n  files" not in fourth, fourth
assert "not hashed by anyone" in third
gone = [b for b in blocks if "gone       no longer in the history: rewritten (said by acme-auditor at " in b]
assert len(gone) == 2, len(gone)
PY
  run "$ASSAY" history hf:acme/widget --json
  expect_code 0
  cp "$WORK/stdout" "$WORK/history.json"
  expect_valid_cli_json history "$WORK/history.json"
  [[ "$(json_get "$WORK/history.json" '[(k["key"], k["before"], k["after"], k["identity"]) for r in s["revisions"] for c in r["configChanges"] for k in c["keys"]]')" == \
     "('num_hidden_layers', 2, 3, True)" ]] || fail "history --json does not give the changed config key"
  [[ "$(json_get "$WORK/history.json" '[r["commit"] for r in s["revisions"]][:4]')" == "$(printf '%s\n' "${REVS[@]}")" ]] ||
    fail "the JSON history is not oldest first"
  run "$ASSAY" history https://huggingface.co/acme/widget.git
  expect_code 0
  joined "$WORK/stdout" 13 | cmp -s - "$WORK/history.txt" || fail "the URL gives another history than the name"
  run "$ASSAY" history "not a model"
  expect_code 2
  expect_one_line_error "not a model" "ORG/NAME"
  run "$ASSAY" history acme/unknown
  expect_code 0
  expect_stdout_contains "nothing known"
}
check "history shows every revision, what changed, verified bytes and a pointer mismatch" history_shows_the_timeline

# A host declares what its endpoint served; a later deployment ends the one
# before; a deployment of another host's endpoint, or by a key without the
# role host, does not count and says why.
deployments_are_judged() {
  local name
  for name in acme-cloud other-cloud; do
    run "$ASSAY" key generate --unencrypted --key "$WORK/$name.key"
    run "$ASSAY" trust add "$name" --role host --key-file "$WORK/$name.pub"
    expect_code 0
  done
  local before; before=$(ledger_size)
  run "$ASSAY" attest deployment --endpoint acme-cloud/widget --model "acme/widget@${REVS[1]}" --from yesterday --key "$WORK/acme-cloud.key"
  expect_code 2
  expect_one_line_error "--from" "yesterday"
  run "$ASSAY" attest deployment --endpoint acme-cloud/widget --model "acme/widget@${REVS[1]}" --from 2026-12-02T00:00:00Z \
    --until 2026-12-01T00:00:00Z --key "$WORK/acme-cloud.key"
  expect_code 2
  expect_one_line_error "--until" "not after"
  run "$ASSAY" attest deployment --endpoint widget --model "acme/widget@${REVS[1]}" --key "$WORK/acme-cloud.key"
  expect_code 2
  expect_one_line_error "--endpoint" "PROVIDER/MODEL"
  run "$ASSAY" attest deployment --endpoint acme-cloud/widget --model acme/widget@nosuch --key "$WORK/acme-cloud.key"
  expect_code 2
  [[ "$(ledger_size)" == "$before" ]] || fail "a refused deployment appended"
  run "$ASSAY" attest deployment --endpoint acme-cloud/widget --model "acme/widget@${REVS[1]}" \
    --from 2026-12-01T16:00:00+00:00 --key "$WORK/acme-cloud.key"
  expect_code 0
  expect_stdout_contains "serving    from 2026-12-01T16:00:00Z until your next deployment of it"
  run "$ASSAY" attest deployment --endpoint acme-cloud/widget --model "acme/widget@${REVS[0]}" \
    --from 2026-12-02T00:00:00Z --key "$WORK/acme-cloud.key" --json
  expect_code 0
  cp "$WORK/stdout" "$WORK/deployment.json"
  json_get "$WORK/deployment.json" "__import__('base64').b64decode(s['payload']).decode()" >"$WORK/deployment.statement.json"
  expect_valid_record deployment-statement "$WORK/deployment.statement.json"
  run "$ASSAY" attest deployment --endpoint acme-cloud/widget --model "acme/widget@${REVS[1]}" --key "$WORK/other-cloud.key"
  expect_code 0
  expect_stderr_contains "will not count" "acme-cloud"
  run "$ASSAY" attest deployment --endpoint vendor-api/widget --model "acme/widget@${REVS[1]}" --key "$WORK/vendor.key"
  expect_code 0
  expect_stderr_contains "will not count"
  run "$ASSAY" history acme/widget
  expect_code 0
  expect_stdout_contains \
    "deployed   acme-cloud/widget from 2026-12-01T16:00:00Z until 2026-12-02T00:00:00Z (asserted by host acme-cloud, record " \
    "deployed   acme-cloud/widget from 2026-12-02T00:00:00Z, still serving (asserted by host acme-cloud, record " \
    "(asserted by host other-cloud, record" "NOT COUNTED: signed by other-cloud, not by acme-cloud: one host cannot declare another's endpoints" \
    "deployed   vendor-api/widget from "
  joined "$WORK/stdout" 13 | grep "vendor-api/widget" | grep -q "NOT COUNTED" || fail "the vendor's own deployment counted"
  run "$ASSAY" history acme/widget --json
  expect_code 0
  cp "$WORK/stdout" "$WORK/history.json"
  expect_valid_cli_json history "$WORK/history.json"
  # status of the weights names the endpoints that served them.
  run "$ASSAY" status "acme/widget@${REVS[1]}"
  expect_code 0
  expect_stdout_contains \
    "served by          acme-cloud/widget from 2026-12-01T16:00:00Z until 2026-12-02T00:00:00Z (asserted by host acme-cloud, deployment " \
    "(asserted by host other-cloud, deployment"
  run "$ASSAY" status "acme/widget@${REVS[1]}" --json
  expect_code 0
  cp "$WORK/stdout" "$WORK/status.json"
  expect_valid_cli_json status "$WORK/status.json"
  [[ "$(json_get "$WORK/status.json" '[d["counted"] for d in s["deployments"]]')" == "$(printf '%s\n' True False False)" ]] ||
    fail "status does not judge the deployments"
  # A claim about the endpoint, run on 2026-12-01 at 18:00 as its log says:
  # verify claim says what the host said it served then.
  "$PYTHON" - "$WORK/endpoint-run" <<'PY'
import calendar, json, os, sys
folder, stamp = sys.argv[1], "2026-12-01T18-00-00.000000"
os.makedirs(folder, exist_ok=True)
values = [1.0, 1.0, 0.0, 1.0]
with open(f"{folder}/samples_d_{stamp}.jsonl", "w") as out:
    for i, value in enumerate(values):
        out.write(json.dumps({"doc_id": i, "doc": {"q": f"d {i}"}, "target": 0,
                              "arguments": {"gen_args_0": {"arg_0": f"Q{i}", "arg_1": " A"}},
                              "filtered_resps": [["-0.5", value == 1.0]], "filter": "none",
                              "metrics": ["acc"], "acc": value}) + "\n")
json.dump({"results": {"d": {"alias": "d", "acc,none": 0.75, "acc_stderr,none": 0.25}},
           "group_subtasks": {"d": []}, "configs": {"d": {"task": "d", "num_fewshot": 0}}, "versions": {"d": 1},
           "n-samples": {"d": {"original": 4, "effective": 4}}, "lm_eval_version": "0.4.8",
           "date": calendar.timegm((2026, 12, 1, 18, 0, 0))}, open(f"{folder}/results_{stamp}.json", "w"))
PY
  run "$ASSAY" attest claim "$WORK/endpoint-run" --task d --endpoint acme-cloud/widget --key "$WORK/vendor.key" --json
  expect_code 0
  local claim
  claim=$(json_get "$WORK/stdout" "__import__('hashlib').sha256(__import__('base64').b64decode(s['payload'])).hexdigest()")
  run "$ASSAY" verify claim "$claim"
  expect_code 0
  expect_stdout_contains "at the run's start (2026-12-01T18:00:00Z, asserted by its log) host acme-cloud says acme-cloud/widget served model record "
  expect_stdout_contains "(acme/widget @ ${REVS[1]}; deployment "
  # status and history of the served upload list the claim; the upload
  # deployed after the run does not.
  run "$ASSAY" status "acme/widget@${REVS[1]}"
  expect_code 0
  expect_stdout_contains "endpoint claims, run while a host said it served these weights" "claim ${claim:0:12}" \
    "  run on acme-cloud/widget at 2026-12-01T18:00:00Z (asserted by the run's log), while host acme-cloud said it served these weights"
  run "$ASSAY" status "acme/widget@${REVS[1]}" --json
  cp "$WORK/stdout" "$WORK/status.json"
  expect_valid_cli_json status "$WORK/status.json"
  [[ "$(json_get "$WORK/status.json" '[c["claim"]["id"] for c in s["endpointClaims"]]')" == "$claim" ]] ||
    fail "status --json does not list the endpoint claim"
  run "$ASSAY" status "acme/widget@${REVS[0]}"
  expect_code 0
  grep -qF "claim ${claim:0:12}" "$WORK/stdout" && fail "status lists a claim run before these weights were deployed"
  run "$ASSAY" history acme/widget
  expect_code 0
  expect_stdout_contains "endpoint claim ${claim:0:16} d" \
    "run on acme-cloud/widget at 2026-12-01T18:00:00Z (asserted by its log), while deployment "
  run "$ASSAY" history acme/widget --json
  cp "$WORK/stdout" "$WORK/history.json"
  expect_valid_cli_json history "$WORK/history.json"
  [[ "$(json_get "$WORK/history.json" '[c["record"] for r in s["revisions"] for c in r["claims"] if c["kind"] == "endpoint claim"]')" == "$claim" ]] ||
    fail "history --json does not list the endpoint claim once"
}
check "deployments: a host's own endpoint counts, a later one ends the one before, others do not count" deployments_are_judged

# An evaluator signs whether the endpoint serves the published weights: the
# comparison names each transcript by a salted root (writing the openings of
# sides given as logs), carries the test and its verdict, and status shows it
# beside the endpoint. A key without the role evaluator does not count.
comparisons_are_signed() {
  run "$ASSAY" key generate --unencrypted --key "$WORK/evaluator.key"
  run "$ASSAY" trust add acme-eval --role evaluator --key-file "$WORK/evaluator.pub"
  expect_code 0
  # Greedy runs of 150 prompts: the weights twice (the second is the
  # baseline), and the endpoint, which answers every third prompt otherwise.
  "$PYTHON" - "$WORK" <<'PY'
import json, sys
def write(path, answer):
    rows = [{"id": f"q{i}", "input": f"What is {i} + {i}?", "target": str(2 * i), "response": answer(i)} for i in range(150)]
    header = {"assay_transcript": 1, "benchmark": {"name": "doubling", "version": "1"},
              "harness": {"name": "h", "version": "1", "commit": ""}, "model": {"name": "m", "revision": "", "source": ""},
              "config": {"generation": {"temperature": 0}}, "metrics": [], "sample_count": len(rows)}
    with open(path, "w") as out:
        for line in [header] + rows:
            out.write(json.dumps(line) + "\n")
write(f"{sys.argv[1]}/weights-run.jsonl", lambda i: f"The answer is {2 * i}.")
write(f"{sys.argv[1]}/weights-rerun.jsonl", lambda i: f"The answer is {2 * i}.")
write(f"{sys.argv[1]}/endpoint-run.jsonl", lambda i: f"It is {2 * i}." if i % 3 == 0 else f"The answer is {2 * i}.")
PY
  mkdir -p "$WORK/openings"
  local compare=(attest comparison "$WORK/weights-run.jsonl" "$WORK/endpoint-run.jsonl" --baseline "$WORK/weights-rerun.jsonl"
                 --endpoint acme-cloud/widget --model "acme/widget@${REVS[1]}" --openings-dir "$WORK/openings")
  local before; before=$(ledger_size)
  # A side given as a log cannot be a record's: a record commits to a salted root.
  run "$ASSAY" "${compare[@]}" --weights-record "${REVS[1]:0:8}" --key "$WORK/evaluator.key"
  expect_code 2
  expect_one_line_error "--weights-record: $WORK/weights-run.jsonl is a log"
  run "$ASSAY" "${compare[@]}" --decoding lukewarm --key "$WORK/evaluator.key"
  expect_code 2
  expect_one_line_error "--decoding: expected greedy or sampled"
  [[ "$(ledger_size)" == "$before" ]] || fail "a refused comparison appended"
  run "$ASSAY" "${compare[@]}" --key "$WORK/evaluator.key" --json
  expect_code 0
  cp "$WORK/stdout" "$WORK/comparison.json"
  json_get "$WORK/comparison.json" "__import__('base64').b64decode(s['payload']).decode()" >"$WORK/comparison.statement.json"
  expect_valid_record comparison-statement "$WORK/comparison.statement.json"
  "$PYTHON" - "$WORK/comparison.statement.json" <<'PY' || fail "the comparison record is not as expected"
import json, sys
p = json.load(open(sys.argv[1]))["predicate"]
assert p["finding"] == "different" and p["test"]["name"] == "exact-match-mcnemar", p
assert abs(p["test"]["pValue"] - 2 ** -50) < 1e-20 and p["test"]["baselineRate"] == 1.0 and p["compared"] == 150, p["test"]
assert p["endpoint"] == {"provider": "acme-cloud", "model": "widget"} and "record" not in p["weightsRun"], p
assert len({p["weightsRun"]["transcriptRoot"], p["endpointRun"]["transcriptRoot"], p["baselineRun"]["transcriptRoot"]}) == 3
PY
  local openings=("$WORK"/openings/comparison-*.transcript.jsonl)
  [[ ${#openings[@]} == 3 ]] || fail "expected three openings, got ${openings[*]}"
  [[ "$(stat -c %a "${openings[0]}")" == 600 ]] || fail "an opening is readable by others"
  # The endpoint's opening, given again, is read as one.
  local endpoint_opening=("$WORK"/openings/comparison-*.endpoint.transcript.jsonl)
  run "$ASSAY" compare-transcripts "$WORK/weights-run.jsonl" "${endpoint_opening[0]}" --json
  expect_code 0
  [[ "$(json_get "$WORK/stdout" 's["b"]["format"]')" == transcript-opening ]] || fail "the opening is not read as one"
  # A record named for a side must have committed to that side's root.
  local claim_id; claim_id=$("$ASSAY" log --long --limit 1000 | awk '$4 == "claim" { print $2; exit }')
  run "$ASSAY" attest comparison "$WORK/weights-run.jsonl" "${endpoint_opening[0]}" --endpoint acme-cloud/widget \
    --model "acme/widget@${REVS[1]}" --endpoint-record "$claim_id" --key "$WORK/evaluator.key"
  expect_code 2
  expect_one_line_error "committed to transcript root"
  # A host's key is no evaluator's: signed, listed, not counted.
  run "$ASSAY" "${compare[@]}" --key "$WORK/acme-cloud.key"
  expect_code 0
  expect_stderr_contains "this comparison will not count"
  run "$ASSAY" status "acme/widget@${REVS[1]}"
  expect_code 0
  joined "$WORK/stdout" 21 | grep -q "^  endpoint test      acme-cloud/widget: different model (exact-match-mcnemar, p = 8.9e-16) (evaluator acme-eval, comparison " ||
    fail "status does not show the evaluator's comparison beside the endpoint"
  joined "$WORK/stdout" 21 | grep "endpoint test" | grep -q "NOT COUNTED" || fail "the host's comparison counted"
  run "$ASSAY" status "acme/widget@${REVS[1]}" --json
  expect_valid_cli_json status "$WORK/stdout"
  [[ "$(json_get "$WORK/stdout" '[c["counted"] for c in s["comparisons"]]')" == "$(printf '%s\n' True False)" ]] ||
    fail "status does not judge the comparisons"
}
check "comparisons: an evaluator's signed verdict on the endpoint, beside it in status" comparisons_are_signed

# A signer withdraws its own records: the record stays, marked, in status and
# verify claim; nobody withdraws another's record, and a withdrawal needs a reason.
revocations_mark_records() {
  local claim_id comparison_id model_id before
  claim_id=$("$ASSAY" log --long --limit 1000 | awk '$4 == "claim" { print $2; exit }')
  comparison_id=$("$ASSAY" log --long --limit 1000 | awk '$4 == "comparison" { print $2 }' | tail -1)
  before=$(ledger_size)
  run "$ASSAY" attest revocation "$claim_id" --reason "wrong endpoint" --key "$WORK/acme-cloud.key"
  expect_code 2
  expect_one_line_error "was signed by acme-vendor (vendor): only its signer, or a key the trust file lists under that name, withdraws it"
  run "$ASSAY" attest revocation "$claim_id" --reason "" --key "$WORK/vendor.key"
  expect_code 2
  expect_one_line_error "--reason: say why"
  run "$ASSAY" attest revocation ffffffffffff --reason "gone" --key "$WORK/vendor.key"
  expect_code 2
  expect_one_line_error "ffffffffffff"
  run "$ASSAY" attest revocation "$claim_id" --reason "wrong endpoint" --superseded-by "$claim_id" --key "$WORK/vendor.key"
  expect_code 2
  expect_one_line_error "a record cannot supersede itself"
  [[ "$(ledger_size)" == "$before" ]] || fail "a refused revocation appended"
  run "$ASSAY" attest revocation "${claim_id:0:12}" --reason "wrong endpoint: the run went to the staging API" \
    --key "$WORK/vendor.key" --json
  expect_code 0
  json_get "$WORK/stdout" "__import__('base64').b64decode(s['payload']).decode()" >"$WORK/revocation.statement.json"
  expect_valid_record revocation-statement "$WORK/revocation.statement.json"
  [[ "$(json_get "$WORK/revocation.statement.json" 's["predicate"]["record"]')" == "$claim_id" ]] ||
    fail "the revocation does not name the whole claim id"
  run "$ASSAY" verify claim "$claim_id"
  expect_code 1
  joined "$WORK/stdout" 19 |
    grep -q "withdrawn.*claim ${claim_id:0:12}.* WITHDRAWN by acme-vendor (revocation [0-9a-f]*): wrong endpoint: the run went to the staging API" ||
    fail "verify claim does not fail a withdrawn claim"
  run "$ASSAY" attest revocation "$comparison_id" --reason "the endpoint transcript was cut short" --key "$WORK/evaluator.key"
  expect_code 0
  expect_stdout_contains "withdraws  $comparison_id (https://assay.dev/comparison/v1)"
  run "$ASSAY" status "acme/widget@${REVS[1]}"
  expect_code 0
  joined "$WORK/stdout" 21 | grep "endpoint test" | grep "comparison ${comparison_id:0:16}" |
    grep -q "WITHDRAWN by acme-eval (revocation [0-9a-f]*): the endpoint transcript was cut short" ||
    fail "status does not mark the withdrawn comparison"
  run "$ASSAY" status "acme/widget@${REVS[1]}" --json
  expect_valid_cli_json status "$WORK/stdout"
  [[ "$(json_get "$WORK/stdout" '[c["withdrawn"]["by"] if c["withdrawn"] else None for c in s["comparisons"]]')" == \
     "$(printf '%s\n' acme-eval None)" ]] || fail "status --json does not mark the withdrawn comparison"
  # A withdrawn upload's model record is marked in the history, and listed in its JSON.
  model_id=$("$ASSAY" log --long --limit 1000 | awk '$4 == "model" && $5 == "acme/widget@v1" { print $2; exit }')
  run "$ASSAY" attest revocation "$model_id" --reason "wrong upload" --key "$WORK/vendor.key"
  expect_code 0
  run "$ASSAY" history acme/widget
  expect_code 0
  joined "$WORK/stdout" 13 | grep "model record ${model_id:0:16}" | grep -q "WITHDRAWN by acme-vendor (revocation [0-9a-f]*): wrong upload$" ||
    fail "history does not mark the withdrawn model record"
  run "$ASSAY" history acme/widget --json
  expect_valid_cli_json history "$WORK/stdout"
  # ... and so is the endpoint claim withdrawn above, run while that upload was served.
  [[ "$(json_get "$WORK/stdout" 'sorted(w["record"] for w in s["withdrawn"])')" == "$(printf '%s\n' "$model_id" "$claim_id" | sort)" ]] ||
    fail "history --json does not list the withdrawn model record and endpoint claim"
  # Each revocation counts as its signer's, in whatever role it holds.
  [[ "$("$ASSAY" log --limit 3 | grep -c ' revocation$')" == 3 ]] || fail "log does not list the three revocations as counted"
  # log and show mark a withdrawn record; log --json says by whom.
  run "$ASSAY" log --long --limit 1000
  grep "^ *[0-9]*  $claim_id " "$WORK/stdout" | grep -q " WITHDRAWN by acme-vendor (revocation [0-9a-f]*): wrong endpoint" ||
    fail "log does not mark the withdrawn claim"
  run "$ASSAY" log --limit 1000 --json
  expect_valid_cli_json log "$WORK/stdout"
  [[ "$(json_get "$WORK/stdout" '[r["id"] for r in s if "withdrawn" in r]' | sort)" == "$(printf '%s\n' "$claim_id" "$comparison_id" "$model_id" | sort)" ]] ||
    fail "log --json does not mark exactly the three withdrawn records"
  run "$ASSAY" show "$model_id"
  expect_code 0
  expect_stdout_contains "withdrawn  WITHDRAWN by acme-vendor (revocation "
  # An exported bundle carries the revocation: verify claim --bundle fails the claim offline.
  run "$ASSAY" export "$claim_id" --bundle "$WORK/withdrawn.intoto.jsonl"
  expect_code 0
  expect_stdout_contains "withdrawn  record ${claim_id:0:16}: WITHDRAWN by acme-vendor"
  run "$ASSAY" verify claim "$claim_id" --bundle "$WORK/withdrawn.intoto.jsonl" --ledger "$WORK/no-ledger"
  expect_code 1
  joined "$WORK/stdout" 19 | grep -q "withdrawn.*WITHDRAWN by acme-vendor" || fail "verify claim --bundle does not fail the withdrawn claim"
}
check "revocations: a signer withdraws its own records, which stay, marked" revocations_mark_records

# The observer's clock is its own word; a witness's cosignature of a checkpoint
# covering the observation is a time someone else vouches for.
history_labels_witnessed_times() {
  run "$ASSAY" history acme/widget
  expect_code 0
  grep -q "witnessed by" "$WORK/stdout" && fail "a time is said witnessed with no checkpoint given"
  witnessed_checkpoint "$WORK/auditor.key" acme-auditor observer "$WORK/audit-cp.cosigned"
  run "$ASSAY" history acme/widget --checkpoint "$WORK/audit-cp.cosigned"
  expect_code 0
  joined "$WORK/stdout" 13 | grep "^  observed   by acme-auditor at " |
    grep -q "(asserted by acme-auditor; in the ledger by [0-9T:-]*Z, witnessed by witness)" ||
    fail "history does not label the witnessed time of an observation"
  joined "$WORK/stdout" 13 | grep "^  deployed   " | grep -q "witnessed by witness" || fail "history does not label the witnessed time of a deployment"
  run "$ASSAY" history acme/widget --checkpoint "$WORK/audit-cp.cosigned" --json
  expect_valid_cli_json history "$WORK/stdout"
  [[ "$(json_get "$WORK/stdout" 'sorted({o["witnessed"]["witness"] for r in s["revisions"] for o in r["observers"]})')" == witness ]] ||
    fail "history --json does not give every observation's witness"
}
check "history labels a time a witness vouches for" history_labels_witnessed_times

finish
