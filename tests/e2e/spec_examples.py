"""The example record of each spec page, generated from records the code
wrote (issue 15, item 5): `tests/e2e/spec_examples_test.sh` collects one
statement of each record type from a demo ledger and runs `check`; run
`write` the same way to regenerate the pages after a format change.

spec_examples.py collect ASSAY LEDGER STATEMENTS_DIR
spec_examples.py check|write STATEMENTS_DIR DOCS_DIR

STATEMENTS_DIR holds TYPE.json, the statement of one record of each type (as
`assay show ID --json` prints it). A page marks its example with a line
`<!-- spec-example: TYPE -->` followed by a ```json block; the block is the
statement with what changes from run to run (digests, ids, times, keys) in
angle brackets, and lists longer than three cut to their first two entries.
"""
import json
import pathlib
import re
import subprocess
import sys

MARK = re.compile(r"^<!-- spec-example: ([a-z0-9-]+) -->$")
VOLATILE = [
    (re.compile(r"^[0-9a-f]{64}$"), "<sha256>"),
    (re.compile(r"^[0-9a-f]{40}$"), "<git commit>"),
    (re.compile(r"^([a-z0-9-]+:)[0-9a-f]{64}$"), r"\1<sha256>"),  # sha256:..., safetensors:..., rfc6962-sha256:...
    (re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"), "<time>"),
    (re.compile(r"^SHA256:[A-Za-z0-9+/]{43}$"), "SHA256:<fingerprint>"),
    (re.compile(r"^(hf:[^@]+@)[0-9a-f]{40}$"), r"\1<git commit>"),
]
MAX_LIST = 3


def normalized(value):
    if isinstance(value, dict):
        return {key: normalized(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [normalized(item) for item in value]
        if len(items) > MAX_LIST:
            items = items[:2] + [f"... {len(items) - 2} more"]
        return items
    if isinstance(value, str):
        for pattern, replacement in VOLATILE:
            if pattern.match(value):
                return pattern.sub(replacement, value)
    return value


def example(statement_file):
    statement = json.loads(statement_file.read_text(encoding="utf-8"))
    return json.dumps(normalized(statement), indent=2, sort_keys=True, ensure_ascii=False)


def blocks(page):
    """(kind, first line, last line) of each marked example: the lines between the fences."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found = []
    for number, line in enumerate(lines):
        mark = MARK.match(line)
        if not mark:
            continue
        if number + 1 >= len(lines) or lines[number + 1] != "```json":
            sys.exit(f"{page}:{number + 1}: a spec-example mark must be followed by a ```json block")
        if "```" not in lines[number + 2:]:
            sys.exit(f"{page}:{number + 2}: the example's ```json block is never closed")
        end = lines.index("```", number + 2)
        found.append((mark.group(1), number + 2, end))
    return lines, found


def collect(assay, ledger, out):
    """One statement of each record type from the ledger, oldest first."""
    def run(*args):
        return subprocess.run([assay, *args, "--ledger", ledger], capture_output=True, text=True, check=True).stdout
    entries = sorted(json.loads(run("log", "--json", "--limit", "1000")), key=lambda entry: entry["position"])
    kinds = {}
    for entry in entries:
        statement = json.loads(run("show", entry["id"], "--json"))
        kind = KIND_OF.get(statement["predicateType"])
        predicate = statement["predicate"]
        if kind == "claim" and "groups" in predicate.get("benchmark", {}):
            kind = "claim-group"
        elif kind == "claim" and "endpoint" in predicate:
            kind = "claim-endpoint"
        elif kind == "reproduction-v2" and "taskVerdicts" in predicate:
            kind = "reproduction-group"
        if kind and kind not in kinds:
            kinds[kind] = statement
    out.mkdir(parents=True, exist_ok=True)
    for kind, statement in kinds.items():
        (out / f"{kind}.json").write_text(json.dumps(statement), encoding="utf-8")
    return 0


KIND_OF = {
    "https://assay.dev/model/v1": "model",
    "https://assay.dev/claim/v2": "claim",
    "https://assay.dev/reproduction/v1": "reproduction",
    "https://assay.dev/reproduction/v2": "reproduction-v2",
    "https://assay.dev/plan/v1": "plan",
    "https://assay.dev/observation/v1": "observation",
    "https://assay.dev/deployment/v1": "deployment",
    "https://assay.dev/comparison/v1": "comparison",
    "https://assay.dev/revocation/v1": "revocation",
}


def main():
    if sys.argv[1] == "collect":
        return collect(sys.argv[2], sys.argv[3], pathlib.Path(sys.argv[4]))
    mode, statements, docs = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    problems, seen = [], set()
    for page in sorted(docs.glob("spec/*.md")):
        lines, found = blocks(page)
        for kind, begin, end in reversed(found):
            seen.add(kind)
            source = statements / f"{kind}.json"
            if not source.exists():
                problems.append(f"{page}: no generated {kind} record to compare with")
                continue
            wanted = example(source).splitlines()
            if mode == "write":
                lines[begin:end] = wanted
            elif lines[begin:end] != wanted:
                problems.append(f"{page}:{begin + 1}: the {kind} example is not what the code writes "
                                f"(regenerate: tests/e2e/spec_examples.py write)")
        if mode == "write":
            page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for source in sorted(statements.glob("*.json")):
        if source.stem not in seen:
            problems.append(f"no spec page shows an example of {source.stem}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
