/**
 * One interface over where uploaded files live: the local `pb_data/storage` folder or an
 * S3-compatible bucket. Keys are `/`-separated relative paths such as
 * `<collectionId>/<recordId>/<filename>`; they never start with `/`, never contain `..`, `\` or
 * NUL (checked by every implementation with {@link assertSafeKey}).
 */

/** What is known about a stored object without reading it. */
export interface BlobInfo {
  size: number;
  lastModified: Date;
  /** The content type recorded at upload (empty when unknown). */
  contentType: string;
  /** A strong ETag, quoted (`"…"`). */
  etag: string;
}

/** Where the bytes of a new object come from. */
export type BlobSource =
  | { path: string; /** The file may be moved instead of copied (a temporary upload). */ movable?: boolean }
  | { bytes: Uint8Array }
  | { blob: Blob };

/** Options of a write. */
export interface PutOptions {
  contentType?: string;
}

/** A store of named blobs. */
export interface BlobStore {
  /** `local` or `s3`. */
  readonly kind: "local" | "s3";
  /** Writes (or replaces) an object. */
  put(key: string, source: BlobSource, opts?: PutOptions): Promise<void>;
  /** Facts about an object, or null when it does not exist. */
  stat(key: string): Promise<BlobInfo | null>;
  /** True when the object exists. */
  exists(key: string): Promise<boolean>;
  /**
   * The object's bytes as a lazily read Blob (`slice` reads a range; `stream()` streams).
   * The caller should `stat` first: reading a missing object fails when read.
   */
  open(key: string): Blob;
  /** Reads the whole object (null when it does not exist). */
  read(key: string): Promise<Uint8Array | null>;
  /** Deletes an object; a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Deletes every object under `prefix` (a "directory", e.g. `col/rec/`); returns the keys that failed. */
  deletePrefix(prefix: string): Promise<string[]>;
  /** Lists the keys under `prefix`. */
  list(prefix: string): Promise<string[]>;
  /**
   * Synchronous variants, offered only by stores that can honour them (local disk). The record
   * pipeline uses them inside synchronous model hooks; other stores do the work after commit.
   */
  sync?: {
    put(key: string, source: BlobSource, opts?: PutOptions): void;
    delete(key: string): void;
    deletePrefix(prefix: string): void;
    /** Renames an object (e.g. when a hook changed a record's id after its files were staged). */
    move(fromKey: string, toKey: string): void;
  };
}

/** Thrown for keys that could escape the store (`..`, absolute paths, backslashes, NUL). */
export class UnsafeKeyError extends Error {}

/** Throws {@link UnsafeKeyError} unless `key` is a clean relative key. */
export function assertSafeKey(key: string, allowTrailingSlash = false): void {
  if (key === "" || key.startsWith("/") || key.includes("\\") || key.includes("\0")) throw new UnsafeKeyError(`Unsafe storage key "${key}".`);
  const parts = key.split("/");
  if (allowTrailingSlash && parts[parts.length - 1] === "") parts.pop();
  for (const p of parts) {
    if (p === "" || p === "." || p === "..") throw new UnsafeKeyError(`Unsafe storage key "${key}".`);
  }
}
