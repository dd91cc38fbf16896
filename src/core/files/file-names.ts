import { snakecase } from "../../tools/inflector.ts";
import { ID_ALPHABET, randomString } from "../../tools/security.ts";
import { extensionFor } from "../../tools/mime.ts";

/** The longest base name kept (in characters, after snake-casing). */
const MAX_BASE_LENGTH = 100;
/** The longest extension kept, dot included. */
const MAX_EXT_LENGTH = 20;
/** Characters an extension may keep. NB: PocketBase also keeps `*`, `=` and `#`; they are dropped here (URL and Windows hazards). */
const EXT_INVALID_CHARS = /[^\w.+-]+/g;

/** The last path component of a client-supplied name (`C:\fakepath\a.png`, `../../a.png` → `a.png`). */
function baseOf(name: string): string {
  const cut = Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\"));
  return cut >= 0 ? name.slice(cut + 1) : name;
}

/**
 * The extension of a name with its dot, keeping a double extension (`.tar.gz`): PocketBase
 * parity, the last two dot-separated parts are taken when there are at least two dots.
 */
export function extractExtension(name: string): string {
  const last = name.lastIndexOf(".");
  if (last < 0) return "";
  const secondary = name.lastIndexOf(".", last - 1);
  return secondary >= 0 ? name.slice(secondary) : name.slice(last);
}

/**
 * The stored name of a new upload (PocketBase's rules): the snake-cased base name (≤ 100 chars;
 * a base shorter than 3 chars gets 10 extra random chars) + `_` + 10 random `[a-z0-9]` + the
 * cleaned extension (case kept, ≤ 20 chars; from the detected MIME type when the name has none).
 * Leading and trailing dots are trimmed first; any path part of the client's name is dropped.
 *
 * Example: `My Photo.PNG` → `my_photo_k3j9x0a1bc.PNG`.
 */
export function generateFileName(originalName: string, detectedMime: string): string {
  const trimmed = baseOf(originalName).replace(/^\.+|\.+$/g, "");
  const rawExt = extractExtension(trimmed);
  let ext = rawExt.replace(EXT_INVALID_CHARS, "");
  if (ext === "" || ext === ".") ext = extensionFor(detectedMime);
  if (ext.length > MAX_EXT_LENGTH) ext = "." + ext.slice(ext.length - (MAX_EXT_LENGTH - 1)).replace(/^\.+/, "");
  let base = snakecase(trimmed.slice(0, trimmed.length - rawExt.length));
  if (base.length < 3) base += randomString(10, ID_ALPHABET);
  else if (base.length > MAX_BASE_LENGTH) base = base.slice(0, MAX_BASE_LENGTH);
  return `${base}_${randomString(10, ID_ALPHABET)}${ext}`;
}

/**
 * PocketBase parity: a stored file name is 1–150 characters and does not start with `.`, `/`
 * or `\`. Names containing a path separator or a control character are refused too (they could
 * leave the record's folder or break response headers).
 */
export function isValidStoredName(name: string): boolean {
  if (name.length < 1 || name.length > 150) return false;
  if (name.startsWith(".")) return false;
  return !/[\/\\\x00-\x1f\x7f]/.test(name);
}
