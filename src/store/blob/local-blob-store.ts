import {
  copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync,
} from "node:fs";
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { assertSafeKey, type BlobInfo, type BlobSource, type BlobStore, type PutOptions } from "./blob-store.ts";

/** The suffix of the metadata file written beside every object. */
const ATTRS_EXT = ".attrs";

/** The metadata PocketBase's local storage keeps beside each file (`<file>.attrs`). */
interface Attrs {
  contentType: string;
  md5: string;
}

function randomSuffix(): string {
  return Math.random().toString(36).slice(2, 10);
}

/**
 * Files on local disk under a root folder (`pb_data/storage`). PocketBase parity: every object
 * gets a `<name>.attrs` JSON beside it with its content type and MD5, in the format PocketBase's
 * storage layer writes and reads, so that PocketBase can serve files Satchel stored and the
 * other way round. Writes go to a temporary name first and are renamed into place, so a reader
 * never sees half a file.
 */
export class LocalBlobStore implements BlobStore {
  readonly kind = "local" as const;
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  /** The absolute path of a key (after checking it cannot leave the root). */
  pathOf(key: string, allowTrailingSlash = false): string {
    assertSafeKey(key, allowTrailingSlash);
    const p = join(this.root, ...key.split("/").filter((s) => s !== ""));
    const rel = relative(this.root, p);
    if (rel.startsWith("..") || rel.includes(`..${sep}`)) throw new Error(`Unsafe storage key "${key}".`);
    return p;
  }

  async put(key: string, source: BlobSource, opts: PutOptions = {}): Promise<void> {
    const dest = this.pathOf(key);
    await mkdir(dirname(dest), { recursive: true });
    const tmp = `${dest}.tmp-${randomSuffix()}`;
    try {
      if ("path" in source) {
        if (source.movable) {
          try {
            await rename(source.path, tmp);
          } catch {
            await copyFile(source.path, tmp);
          }
        } else {
          await copyFile(source.path, tmp);
        }
      } else {
        await Bun.write(tmp, "bytes" in source ? source.bytes : source.blob);
      }
      const md5 = await md5OfFile(tmp);
      await writeFile(dest + ATTRS_EXT, attrsJson({ contentType: opts.contentType ?? "", md5 }));
      await rename(tmp, dest);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw err;
    }
  }

  async stat(key: string): Promise<BlobInfo | null> {
    const p = this.pathOf(key);
    try {
      const st = await stat(p);
      if (!st.isFile()) return null;
      const attrs = await readAttrs(p + ATTRS_EXT);
      return infoOf(st.size, st.mtime, attrs);
    } catch {
      return null;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch {
      return false;
    }
  }

  open(key: string): Blob {
    return Bun.file(this.pathOf(key));
  }

  async read(key: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch {
      return null;
    }
  }

  async delete(key: string): Promise<void> {
    const p = this.pathOf(key);
    await unlink(p).catch(() => undefined);
    await unlink(p + ATTRS_EXT).catch(() => undefined);
    this.pruneEmptyParents(p);
  }

  async deletePrefix(prefix: string): Promise<string[]> {
    const failed: string[] = [];
    for (const target of this.prefixTargets(prefix)) {
      try {
        await rm(target, { recursive: true, force: true });
      } catch {
        failed.push(relative(this.root, target).split(sep).join("/"));
      }
    }
    this.pruneEmptyParents(this.pathOf(prefix, true));
    return failed;
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (!e.name.endsWith(ATTRS_EXT) && !/\.tmp-[a-z0-9]+$/.test(e.name)) out.push(relative(this.root, p).split(sep).join("/"));
      }
    };
    // walk only the deepest folder the prefix names
    const cut = prefix.lastIndexOf("/");
    await walk(cut > 0 ? this.pathOf(prefix.slice(0, cut)) : this.root);
    return out.filter((k) => k.startsWith(prefix)).sort();
  }

  /** Synchronous variants (used inside synchronous model hooks). */
  readonly sync = {
    put: (key: string, source: BlobSource, opts: PutOptions = {}): void => {
      const dest = this.pathOf(key);
      mkdirSync(dirname(dest), { recursive: true });
      const tmp = `${dest}.tmp-${randomSuffix()}`;
      try {
        if ("path" in source) {
          if (source.movable) {
            try {
              renameSync(source.path, tmp);
            } catch {
              copyFileSync(source.path, tmp);
            }
          } else {
            copyFileSync(source.path, tmp);
          }
        } else if ("bytes" in source) {
          writeFileSync(tmp, source.bytes);
        } else {
          throw new Error("A Blob cannot be written synchronously; pass bytes or a path.");
        }
        const md5 = new Bun.CryptoHasher("md5").update(readFileSync(tmp)).digest("base64");
        writeFileSync(dest + ATTRS_EXT, attrsJson({ contentType: opts.contentType ?? "", md5 }));
        renameSync(tmp, dest);
      } catch (err) {
        rmSync(tmp, { force: true });
        throw err;
      }
    },
    delete: (key: string): void => {
      const p = this.pathOf(key);
      rmSync(p, { force: true });
      rmSync(p + ATTRS_EXT, { force: true });
      this.pruneEmptyParents(p);
    },
    deletePrefix: (prefix: string): void => {
      for (const target of this.prefixTargets(prefix)) rmSync(target, { recursive: true, force: true });
      this.pruneEmptyParents(this.pathOf(prefix, true));
    },
    move: (fromKey: string, toKey: string): void => {
      const from = this.pathOf(fromKey);
      const to = this.pathOf(toKey);
      mkdirSync(dirname(to), { recursive: true });
      renameSync(from, to);
      if (existsSync(from + ATTRS_EXT)) renameSync(from + ATTRS_EXT, to + ATTRS_EXT);
      this.pruneEmptyParents(from);
    },
  };

  /** The paths a prefix covers: a whole folder for `a/b/`, or the matching entries for `a/b/x`. */
  private prefixTargets(prefix: string): string[] {
    if (prefix.endsWith("/")) return [this.pathOf(prefix, true)];
    const p = this.pathOf(prefix);
    const dir = dirname(p);
    const base = p.slice(dir.length + 1);
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter((n) => n.startsWith(base)).map((n) => join(dir, n));
  }

  /** Removes empty folders from `path`'s parent up to (not including) the root. */
  private pruneEmptyParents(path: string): void {
    let dir = dirname(path);
    while (dir.length > this.root.length && dir.startsWith(this.root)) {
      try {
        if (readdirSync(dir).length > 0) return;
        rmdirSync(dir);
      } catch {
        return;
      }
      dir = dirname(dir);
    }
  }
}

function attrsJson(a: Attrs): string {
  return JSON.stringify({
    "user.cache_control": "",
    "user.content_disposition": "",
    "user.content_encoding": "",
    "user.content_language": "",
    "user.content_type": a.contentType,
    "user.metadata": null,
    md5: a.md5,
  });
}

async function readAttrs(path: string): Promise<Attrs | null> {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as { [k: string]: unknown };
    return {
      contentType: typeof parsed["user.content_type"] === "string" ? parsed["user.content_type"] : "",
      md5: typeof parsed.md5 === "string" ? parsed.md5 : "",
    };
  } catch {
    return null;
  }
}

function infoOf(size: number, mtime: Date, attrs: Attrs | null): BlobInfo {
  const md5Hex = attrs?.md5 ? Buffer.from(attrs.md5, "base64").toString("hex") : "";
  const etag = md5Hex ? `"${md5Hex}"` : `"${size.toString(16)}-${Math.floor(mtime.getTime()).toString(16)}"`;
  return { size, lastModified: mtime, contentType: attrs?.contentType ?? "", etag };
}

async function md5OfFile(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("md5");
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("base64");
}
