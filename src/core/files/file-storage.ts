import { join } from "node:path";
import type { App } from "../app.ts";
import type { S3Settings } from "../settings/settings-defaults.ts";
import type { BlobStore } from "../../store/blob/blob-store.ts";
import { LocalBlobStore } from "../../store/blob/local-blob-store.ts";
import { S3BlobStore } from "../../store/blob/s3-blob-store.ts";
import { randomString, ID_ALPHABET } from "../../tools/security.ts";

const cache = new Map<string, BlobStore>();

/**
 * The app's file storage: the S3 bucket of `settings.s3` when enabled, else
 * `pb_data/storage`. The instance is cached per configuration, so changed settings take effect
 * on the next call.
 */
export function appBlobStore(app: App): BlobStore {
  const s3 = app.settings().s3;
  const key = s3.enabled ? `s3:${JSON.stringify(s3)}` : `local:${app.dataDir()}`;
  let store = cache.get(key);
  if (!store) {
    store = s3.enabled ? new S3BlobStore(s3) : new LocalBlobStore(join(app.dataDir(), "storage"));
    cache.set(key, store);
  }
  return store;
}

/** The storage folder of a record: `<collectionId>/<recordId>`. */
export function recordDir(collectionId: string, recordId: string): string {
  return `${collectionId}/${recordId}`;
}

/** The key of a record's file: `<collectionId>/<recordId>/<filename>`. */
export function recordFileKey(collectionId: string, recordId: string, filename: string): string {
  return `${recordDir(collectionId, recordId)}/${filename}`;
}

/** The key of a thumb: `<collectionId>/<recordId>/thumbs_<filename>/<size>_<filename>`. */
export function thumbKey(collectionId: string, recordId: string, filename: string, size: string): string {
  return `${recordDir(collectionId, recordId)}/thumbs_${filename}/${size}_${filename}`;
}

/**
 * Checks an S3 configuration the way `POST /api/settings/test/s3` does: writes a small object,
 * reads it back and deletes it. Throws with the store's error when anything fails.
 */
export async function testS3Connection(cfg: S3Settings): Promise<void> {
  const store = new S3BlobStore(cfg);
  const key = `pb_settings_test_${randomString(10, ID_ALPHABET)}.txt`;
  await store.put(key, { bytes: new TextEncoder().encode("test") }, { contentType: "text/plain" });
  try {
    const back = await store.read(key);
    if (!back || new TextDecoder().decode(back) !== "test") throw new Error("The test object could not be read back.");
  } finally {
    await store.delete(key);
  }
}

/**
 * Where request bodies stream their file parts before they are stored:
 * `pb_data/.pb_temp_to_delete/uploads` (PocketBase clears `.pb_temp_to_delete` on start, and
 * backups skip it). Being on the same disk as `storage/`, local uploads are moved, not copied.
 */
export function uploadTempDir(app: App): string {
  return join(app.dataDir(), ".pb_temp_to_delete", "uploads");
}
