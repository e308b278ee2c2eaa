-- The hash cache, schema version 1 (PRAGMA user_version = 1,
-- PRAGMA application_id = 0x41535359, "ASSY"). docs/spec/hash-cache.md
-- describes every column. It is only a cache: deleting the file is always
-- safe, and a file at an older version is dropped and created again from
-- this text, never migrated.
--
-- Paths and kinds are TEXT (SQLite keeps and compares their bytes as given,
-- UTF-8 or not); digests and payloads are BLOBs.

-- A file's SHA-256 by its stat identity. Device and inode numbers are the
-- unsigned values' bits as signed 64-bit integers.
CREATE TABLE file_stats (
  path TEXT PRIMARY KEY NOT NULL,
  device INTEGER NOT NULL,
  inode INTEGER NOT NULL,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  ctime_ns INTEGER NOT NULL,
  sha256 BLOB NOT NULL CHECK (length(sha256) = 32)
);

-- The caller's result for the bytes with this SHA-256, in the format `kind`
-- names (e.g. 'tensor-table/v1'); opaque to the cache.
CREATE TABLE content (
  sha256 BLOB NOT NULL CHECK (length(sha256) = 32),
  kind TEXT NOT NULL,
  payload BLOB NOT NULL,
  PRIMARY KEY (sha256, kind)
);
