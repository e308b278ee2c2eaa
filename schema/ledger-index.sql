-- The ledger's query index, schema version 2 (PRAGMA user_version = 2,
-- PRAGMA application_id = 0x41534c49, "ASLI"). docs/spec/ledger-index.md
-- describes every column. Everything here is derived from the ledger's git
-- history: `assay reindex` rebuilds it from git alone.
--
-- A record is keyed by its position in ledger order (0, 1, 2, ...); the other
-- tables refer to that position. Digests and record ids are lowercase hex.

CREATE TABLE meta (
  key TEXT PRIMARY KEY,  -- 'head': the ledger commit the index reflects
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- problem: why the record is not a well-formed record (then kind is
-- 'other' and no other table has rows about it), or NULL. One bad blob is
-- listed and marked, never a reason to stop indexing the rest. It is the last
-- column, where the upgrade from version 1 adds it.
CREATE TABLE records (
  position INTEGER PRIMARY KEY CHECK (position >= 0),
  id TEXT NOT NULL UNIQUE CHECK (length(id) = 64),
  git_commit TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('model', 'claim', 'reproduction', 'other')),
  predicate_type TEXT NOT NULL,
  problem TEXT
) STRICT;

-- Kept apart so that the rows every query reads stay small and close together.
CREATE TABLE envelopes (
  position INTEGER PRIMARY KEY REFERENCES records (position),
  envelope BLOB NOT NULL
) STRICT;

CREATE TABLE subjects (
  position INTEGER NOT NULL REFERENCES records (position),
  ordinal INTEGER NOT NULL,
  name TEXT NOT NULL,
  algorithm TEXT NOT NULL,
  digest TEXT NOT NULL,
  PRIMARY KEY (position, ordinal)
) STRICT, WITHOUT ROWID;
CREATE INDEX subjects_by_digest ON subjects (digest);

CREATE TABLE signatures (
  position INTEGER NOT NULL REFERENCES records (position),
  ordinal INTEGER NOT NULL,
  keyid TEXT NOT NULL,
  PRIMARY KEY (position, ordinal)
) STRICT, WITHOUT ROWID;
CREATE INDEX signatures_by_keyid ON signatures (keyid);

CREATE TABLE models (
  position INTEGER PRIMARY KEY REFERENCES records (position),
  name TEXT NOT NULL,
  revision TEXT,
  hub_repo_id TEXT,
  hub_revision TEXT,
  tensor_count INTEGER NOT NULL,
  total_bytes INTEGER NOT NULL
) STRICT;
CREATE INDEX models_by_name ON models (name, revision);

CREATE TABLE weights_roots (
  position INTEGER NOT NULL REFERENCES models (position),
  ordinal INTEGER NOT NULL,
  format TEXT NOT NULL,
  root TEXT NOT NULL,
  tensor_count INTEGER NOT NULL,
  PRIMARY KEY (position, ordinal)
) STRICT, WITHOUT ROWID;
CREATE INDEX weights_roots_by_root ON weights_roots (root);

CREATE TABLE claims (
  position INTEGER PRIMARY KEY REFERENCES records (position),
  model_record TEXT,
  weights_root TEXT,
  benchmark_name TEXT,
  benchmark_version TEXT,
  harness_name TEXT,
  harness_version TEXT,
  endpoint INTEGER NOT NULL CHECK (endpoint IN (0, 1)),
  endpoint_provider TEXT,
  endpoint_model TEXT
) STRICT;
CREATE INDEX claims_by_model_record ON claims (model_record);
CREATE INDEX claims_by_weights_root ON claims (weights_root);
CREATE INDEX claims_by_benchmark ON claims (benchmark_name);

CREATE TABLE claim_metrics (
  position INTEGER NOT NULL REFERENCES claims (position),
  ordinal INTEGER NOT NULL,
  name TEXT NOT NULL,
  value REAL,
  stderr REAL,
  PRIMARY KEY (position, ordinal)
) STRICT, WITHOUT ROWID;

CREATE TABLE reproductions (
  position INTEGER PRIMARY KEY REFERENCES records (position),
  claim TEXT,
  weights_root TEXT
) STRICT;
CREATE INDEX reproductions_by_claim ON reproductions (claim);

CREATE TABLE verdicts (
  position INTEGER NOT NULL REFERENCES reproductions (position),
  ordinal INTEGER NOT NULL,
  metric TEXT NOT NULL,
  verdict TEXT NOT NULL,
  PRIMARY KEY (position, ordinal)
) STRICT, WITHOUT ROWID;
