import { unlink } from "node:fs/promises";
import { S3Client } from "bun";
import { assertSafeKey, type BlobInfo, type BlobSource, type BlobStore, type PutOptions } from "./blob-store.ts";

/** PocketBase's S3 settings (`settings.s3`, `settings.backups.s3`). */
export interface S3Config {
  bucket: string;
  region: string;
  endpoint: string;
  accessKey: string;
  secret: string;
  forcePathStyle: boolean;
}

/** Builds the Bun.S3Client options for PocketBase-style settings. */
export function s3ClientOptions(cfg: S3Config): ConstructorParameters<typeof S3Client>[0] {
  let endpoint = cfg.endpoint.trim();
  if (endpoint && !/^https?:\/\//i.test(endpoint)) endpoint = `https://${endpoint}`;
  const base = { accessKeyId: cfg.accessKey, secretAccessKey: cfg.secret, region: cfg.region || "us-east-1", bucket: cfg.bucket };
  if (!endpoint) return base;
  if (cfg.forcePathStyle) return { ...base, endpoint };
  // Virtual-hosted style: Bun expects the bucket to be part of the endpoint's host.
  const u = new URL(endpoint);
  if (!u.hostname.startsWith(`${cfg.bucket}.`)) u.hostname = `${cfg.bucket}.${u.hostname}`;
  return { ...base, endpoint: u.toString().replace(/\/$/, ""), virtualHostedStyle: true };
}

function isNotFound(err: unknown): boolean {
  const e = err as { code?: string; name?: string; message?: string } | null;
  const text = `${e?.code ?? ""} ${e?.name ?? ""} ${e?.message ?? ""}`;
  return /NoSuchKey|NotFound|404|ENOENT/i.test(text);
}

/**
 * Objects in an S3-compatible bucket through `Bun.S3Client` (AWS, R2, MinIO, s3rver…). Writes
 * stream from temporary upload files (multipart for large ones); reads are lazy and ranged.
 */
export class S3BlobStore implements BlobStore {
  readonly kind = "s3" as const;
  readonly client: S3Client;

  constructor(cfg: S3Config) {
    this.client = new S3Client(s3ClientOptions(cfg));
  }

  async put(key: string, source: BlobSource, opts: PutOptions = {}): Promise<void> {
    assertSafeKey(key);
    const type = opts.contentType || "application/octet-stream";
    if ("path" in source) {
      await this.client.write(key, Bun.file(source.path), { type });
      if (source.movable) await unlink(source.path).catch(() => undefined);
    } else if ("bytes" in source) {
      await this.client.write(key, source.bytes, { type });
    } else {
      await this.client.write(key, source.blob, { type });
    }
  }

  async stat(key: string): Promise<BlobInfo | null> {
    assertSafeKey(key);
    try {
      const st = await this.client.file(key).stat();
      const etag = st.etag ? (st.etag.startsWith('"') ? st.etag : `"${st.etag}"`) : `"${st.size.toString(16)}-${st.lastModified.getTime().toString(16)}"`;
      return { size: st.size, lastModified: st.lastModified, contentType: st.type ?? "", etag };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    assertSafeKey(key);
    return this.client.file(key).exists();
  }

  open(key: string): Blob {
    assertSafeKey(key);
    return this.client.file(key);
  }

  async read(key: string): Promise<Uint8Array | null> {
    assertSafeKey(key);
    try {
      return await this.client.file(key).bytes();
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    try {
      await this.client.delete(key);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async deletePrefix(prefix: string): Promise<string[]> {
    assertSafeKey(prefix, true);
    const failed: string[] = [];
    for (const key of await this.list(prefix)) {
      try {
        await this.client.delete(key);
      } catch (err) {
        if (!isNotFound(err)) failed.push(key);
      }
    }
    return failed;
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    let continuationToken: string | undefined;
    for (;;) {
      const res = await this.client.list({ prefix, continuationToken, maxKeys: 1000 });
      for (const c of res.contents ?? []) out.push(c.key);
      if (!res.isTruncated || !res.nextContinuationToken) break;
      continuationToken = res.nextContinuationToken;
    }
    return out.sort();
  }
}
