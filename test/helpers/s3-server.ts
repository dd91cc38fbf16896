import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";

/** A running S3-compatible server (s3rver) on 127.0.0.1 with one bucket, storing under `directory`. */
export interface TestS3Server {
  endpoint: string;
  bucket: string;
  directory: string;
  /** The path where s3rver keeps an object's bytes. */
  objectPath(key: string): string;
  stop(): Promise<void>;
}

/**
 * Starts s3rver on a random 127.0.0.1 port (keys `S3RVER`/`S3RVER`; NB: s3rver does not verify
 * request signatures, so signing bugs cannot show up here).
 */
export async function startS3Server(bucket = "satchel-test"): Promise<TestS3Server> {
  const directory = mkdtempSync(join(tmpdir(), "satchel-s3-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    directory,
    objectPath(key: string) {
      const parts = key.split("/");
      const last = parts.pop()!;
      return join(directory, bucket, ...parts, `${last}._S3rver_object`);
    },
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
