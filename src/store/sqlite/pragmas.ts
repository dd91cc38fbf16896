/**
 * PocketBase parity: the connection pragmas, in PocketBase's order (busy_timeout before WAL).
 * NB: bun:sqlite's default page cache is small; PocketBase's cache_size made a filtered COUNT
 * four times faster on this runtime.
 *
 * NB: `mmap_size` is ours, not PocketBase's. Reading the database file through a 256 MB memory
 * map instead of read() into the 32 MB page cache made the scans that no index serves 2–3.5×
 * faster on the benchmark's 130 MB database (posts100k: `author = ?` 44 → 12 ms, the LIKE count
 * 46 → 22 ms; a user's cascade delete 105 → 55 ms; bench/RESULTS.md). The trade-offs:
 * - an I/O error while reading a mapped page (a failing disk, the file truncated by a process
 *   that does not follow SQLite's locking) raises SIGBUS and kills the process, where read()
 *   would have returned SQLITE_IOERR. WAL mode already maps the `-shm` file the same way;
 * - the mapped pages count in the process RSS (as shared, reclaimable file pages), up to the
 *   part of the file actually read, at most 256 MB;
 * - writes still go through the page cache and write() (SQLite maps read-only), so a stray
 *   write cannot corrupt the file; the file format and other connections are unaffected.
 */
export const PRAGMAS: readonly string[] = [
  "PRAGMA busy_timeout = 10000",
  "PRAGMA journal_mode = WAL",
  "PRAGMA journal_size_limit = 200000000",
  "PRAGMA synchronous = NORMAL",
  "PRAGMA foreign_keys = ON",
  "PRAGMA temp_store = MEMORY",
  "PRAGMA cache_size = -32000",
  "PRAGMA mmap_size = 268435456",
];
