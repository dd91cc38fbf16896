import type { FieldConfig } from "../collections/collection-types.ts";
import type { FieldError, FieldModifier } from "../fields/field-kind.ts";
import { fieldError } from "../api-error.ts";
import { toUniqueStringList } from "../fields/select.ts";
import { mimeEssence } from "../../tools/mime.ts";
import { isUploadFile, type UploadFile } from "./upload-file.ts";
import { isValidStoredName } from "./file-names.ts";

/** PocketBase parity: a file field with `maxSize: 0` accepts files up to 5 MiB each. */
export const DEFAULT_FILE_MAX_SIZE = 5 << 20;

/**
 * Images whose header declares more pixels than this are refused on upload (0x3FFF², the
 * usual decoder limit): they cannot be thumbnailed or shown and only serve as decompression
 * bombs. NB: a deliberate difference from PocketBase, which stores them.
 */
export const MAX_UPLOAD_IMAGE_PIXELS = 0x3fff * 0x3fff;

/** One item of a file field's in-memory value: a stored name or a pending new file. */
export type FileItem = string | UploadFile;

/**
 * The items of any input, in order, without duplicates: stored names (strings, JSON arrays of
 * strings) and pending {@link UploadFile}s. Anything else is cast to a name like select values.
 */
export function fileItems(value: unknown): FileItem[] {
  const out: FileItem[] = [];
  const seen = new Set<string>();
  const add = (v: unknown): void => {
    if (isUploadFile(v)) {
      if (!out.includes(v)) out.push(v);
      return;
    }
    for (const s of toUniqueStringList(v)) {
      if (!seen.has(s)) {
        seen.add(s);
        out.push(s);
      }
    }
  };
  if (Array.isArray(value)) for (const v of value) add(v);
  else add(value);
  return out;
}

/** The stored names of the items (a pending file counts with its generated name). */
export function fileNames(value: unknown): string[] {
  return fileItems(value).map((v) => (typeof v === "string" ? v : v.name));
}

/** The pending new files of a value. */
export function pendingFiles(value: unknown): UploadFile[] {
  return fileItems(value).filter(isUploadFile);
}

function isMulti(field: FieldConfig): boolean {
  return typeof field.maxSelect === "number" && field.maxSelect > 1;
}

/** Shapes items for the field: the list when multiple, else the last item (or ""). */
export function shapeFileValue(field: FieldConfig, items: FileItem[]): FileItem | FileItem[] {
  if (isMulti(field)) return items;
  return items.length > 0 ? items[items.length - 1]! : "";
}

/** `field+`, `+field` and `field-` on a file value (`-` removes by stored name). */
export function applyFileModifier(field: FieldConfig, current: unknown, modifier: FieldModifier, value: unknown): unknown {
  const cur = fileItems(current);
  const given = fileItems(value);
  switch (modifier) {
    case "append": return shapeFileValue(field, fileItems([...cur, ...given]));
    case "prepend": return shapeFileValue(field, fileItems([...given, ...cur]));
    case "remove": {
      const names = new Set(given.map(String));
      return shapeFileValue(field, cur.filter((v) => !given.includes(v) && !names.has(String(v))));
    }
    default: return current;
  }
}

/** Subtype aliases accepted when matching `mimeTypes` (both directions). */
const MIME_ALIASES: string[][] = [
  ["image/jpeg", "image/jpg", "image/pjpeg"],
  ["image/x-icon", "image/vnd.microsoft.icon"],
  ["audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"],
  ["audio/mpeg", "audio/mp3", "audio/x-mpeg"],
  ["audio/x-m4a", "audio/mp4", "audio/m4a"],
  ["application/zip", "application/x-zip-compressed", "application/x-zip"],
  ["application/gzip", "application/x-gzip"],
  ["application/x-msdownload", "application/vnd.microsoft.portable-executable", "application/x-dosexec"],
  ["application/x-rar-compressed", "application/vnd.rar"],
  ["text/xml", "application/xml"],
  ["application/json", "text/json"],
  ["text/javascript", "application/javascript"],
  ["image/heic", "image/heif"],
];

/** True when the detected MIME type matches one of the allowed ones (essence and aliases). */
export function mimeAllowed(detected: string, allowed: readonly string[]): boolean {
  const d = mimeEssence(detected);
  const group = MIME_ALIASES.find((g) => g.includes(d)) ?? [d];
  return allowed.some((a) => group.includes(mimeEssence(a)));
}

/** The effective per-file byte limit of a file field. */
export function fileMaxSize(field: FieldConfig): number {
  const v = field.maxSize;
  return typeof v === "number" && v > 0 ? v : DEFAULT_FILE_MAX_SIZE;
}

/**
 * Validates a file field's value: `required`, `maxSelect`, then each pending new file (not
 * empty, a valid name, ≤ maxSize, an allowed MIME type detected from its content, not an image
 * bomb), then that every name that is not a pending file was stored before (`original`):
 * PocketBase parity, new files cannot be referenced by name.
 */
export function validateFileValue(field: FieldConfig, value: unknown, original: unknown): FieldError | null {
  const items = fileItems(value);
  if (items.length === 0) return field.required ? fieldError("validation_required", "Cannot be blank.") : null;
  const maxSelect = Math.max(typeof field.maxSelect === "number" ? field.maxSelect : 0, 1);
  if (items.length > maxSelect) {
    return fieldError("validation_too_many_files", `The maximum allowed files is ${maxSelect}.`, { maxSelect });
  }
  const maxSize = fileMaxSize(field);
  const allowed = Array.isArray(field.mimeTypes) ? field.mimeTypes.filter((m): m is string => typeof m === "string" && m !== "") : [];
  for (const f of items) {
    if (typeof f === "string") continue;
    if (!isValidStoredName(f.name)) {
      return fieldError("validation_invalid_file", `Invalid file name "${f.name}".`, { file: f.originalName });
    }
    if (f.size === 0) return fieldError("validation_invalid_file", `The file "${f.originalName}" is empty.`, { file: f.originalName });
    if (f.size > maxSize) {
      return fieldError("validation_file_size_limit", `Failed to upload "${f.originalName}" - the maximum allowed file size is ${maxSize} bytes.`, { file: f.originalName, maxSize });
    }
    if (allowed.length > 0 && !mimeAllowed(f.mime, allowed)) {
      return fieldError("validation_invalid_mime_type", `Failed to upload "${f.originalName}" due to unsupported file type ${mimeEssence(f.mime)}.`, { file: f.originalName, types: allowed.join(", ") });
    }
    if (f.width !== undefined && f.height !== undefined && f.width * f.height > MAX_UPLOAD_IMAGE_PIXELS) {
      return fieldError("validation_invalid_file", `The image "${f.originalName}" is too large (${f.width}x${f.height} pixels).`, { file: f.originalName });
    }
  }
  const stored = new Set(fileNames(original));
  const unknown = items.filter((v): v is string => typeof v === "string" && !stored.has(v));
  if (unknown.length > 0) {
    return fieldError("validation_invalid_file", `Invalid new files: ${unknown.join(", ")}.`, { invalidFiles: unknown });
  }
  return null;
}
