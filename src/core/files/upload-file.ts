import { closeSync, openSync, readSync, statSync } from "node:fs";
import { basename } from "node:path";
import { detectMime } from "../../tools/mime.ts";
import { imageSize } from "../../tools/image-size.ts";
import { generateFileName } from "./file-names.ts";

/** How many leading bytes are sniffed for the MIME type. */
const SNIFF_BYTES = 4096;
/** How many leading bytes are searched for a JPEG frame header (EXIF blocks may precede it). */
const JPEG_HEADER_BYTES = 256 << 10;

/** Where the bytes of a new file are. */
export type UploadSource =
  | { kind: "path"; path: string; /** A temporary upload that may be moved into storage. */ movable: boolean }
  | { kind: "bytes"; bytes: Uint8Array }
  | { kind: "blob"; blob: Blob };

/** Facts read from a file's first bytes. */
interface HeadFacts {
  mime: string;
  width?: number;
  height?: number;
}

function factsOf(head: Uint8Array, originalName: string): HeadFacts {
  const mime = detectMime(head.subarray(0, SNIFF_BYTES), originalName);
  const size = mime.startsWith("image/") ? imageSize(head) : null;
  return size ? { mime, width: size.width, height: size.height } : { mime };
}

function headLength(first: Uint8Array): number {
  return first[0] === 0xff && first[1] === 0xd8 ? JPEG_HEADER_BYTES : SNIFF_BYTES;
}

/**
 * A new file for a record's file field (PocketBase's `filesystem.File`): its generated stored
 * `name`, the client's `originalName`, its `size`, the MIME type detected from its content and,
 * for images, the dimensions its header declares. It sits in the record's field value from the
 * moment it is set until the record is saved; then the value holds `name`.
 */
export class UploadFile {
  /** The stored name (`my_photo_k3j9x0a1bc.png`), generated on creation. */
  name: string;
  /** The name the client gave. */
  readonly originalName: string;
  /** Size in bytes. */
  readonly size: number;
  /** The MIME type detected from the content (not the client's claim). */
  readonly mime: string;
  /** Image dimensions from the header, when it is an image whose header could be read. */
  readonly width?: number;
  readonly height?: number;
  /** Where the bytes are. */
  readonly source: UploadSource;

  private constructor(source: UploadSource, originalName: string, size: number, facts: HeadFacts) {
    this.source = source;
    this.originalName = originalName;
    this.size = size;
    this.mime = facts.mime;
    this.width = facts.width;
    this.height = facts.height;
    this.name = generateFileName(originalName, facts.mime);
  }

  /** A file from bytes in memory (`$filesystem.fileFromBytes`). */
  static fromBytes(bytes: Uint8Array, originalName: string): UploadFile {
    return new UploadFile({ kind: "bytes", bytes }, originalName, bytes.length, factsOf(bytes.subarray(0, headLength(bytes)), originalName));
  }

  /** A file from a local path (`$filesystem.fileFromPath`); the original name is the path's base name. */
  static fromPath(path: string, originalName: string = basename(path), movable = false): UploadFile {
    const st = statSync(path);
    if (!st.isFile()) throw new Error(`"${path}" is not a file.`);
    const fd = openSync(path, "r");
    let head: Uint8Array;
    try {
      const first = new Uint8Array(Math.min(st.size, SNIFF_BYTES));
      const n = readSync(fd, first, 0, first.length, 0);
      const want = Math.min(st.size, headLength(first));
      if (want > n) {
        head = new Uint8Array(want);
        head.set(first.subarray(0, n));
        readSync(fd, head, n, want - n, n);
      } else {
        head = first.subarray(0, n);
      }
    } finally {
      closeSync(fd);
    }
    return new UploadFile({ kind: "path", path, movable }, originalName, st.size, factsOf(head, originalName));
  }

  /**
   * A file from a Blob, e.g. a multipart part. When `tempPath` is given the Blob is that file on
   * disk and may be moved into storage instead of copied.
   */
  static async fromBlob(blob: Blob, originalName: string, tempPath?: string): Promise<UploadFile> {
    const first = new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer());
    const want = headLength(first);
    const head = want > first.length && blob.size > first.length ? new Uint8Array(await blob.slice(0, want).arrayBuffer()) : first;
    const source: UploadSource = tempPath ? { kind: "path", path: tempPath, movable: true } : { kind: "blob", blob };
    return new UploadFile(source, originalName, blob.size, factsOf(head, originalName));
  }

  /** The stored name (so `String(file)` and string lists of a field read naturally). */
  toString(): string {
    return this.name;
  }

  /** JSON is the stored name. */
  toJSON(): string {
    return this.name;
  }
}

/** True for a pending new file. */
export function isUploadFile(v: unknown): v is UploadFile {
  return v instanceof UploadFile;
}
