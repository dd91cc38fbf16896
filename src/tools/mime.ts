/**
 * MIME type detection by magic bytes (uploaded files), and MIME → extension.
 * Imports nothing of ours.
 *
 * PocketBase parity: PocketBase sniffs content, not names; the file name here only refines a
 * generic `text/plain` result (e.g. `.csv` → `text/csv`) and can never turn bytes into an
 * image or a script. Text types carry `; charset=utf-8` like PocketBase's detector reports.
 */

/** The generic binary type. */
export const OCTET_STREAM = "application/octet-stream";
/** What any valid UTF-8 text without a more specific signature is detected as. */
export const PLAIN_TEXT = "text/plain; charset=utf-8";

/** How many leading bytes the text sniffers look at. */
const SNIFF_LENGTH = 3072;

function startsWith(bytes: Uint8Array, sig: ArrayLike<number>, offset = 0): boolean {
  if (bytes.length < offset + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (bytes[offset + i] !== sig[i]) return false;
  return true;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < Math.min(end, bytes.length); i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function hasAscii(bytes: Uint8Array, text: string, offset = 0): boolean {
  return ascii(bytes, offset, offset + text.length) === text;
}

/** Whether `needle` occurs (as Latin-1 bytes) within the first `limit` bytes. */
function containsAscii(bytes: Uint8Array, needle: string, limit: number): boolean {
  return ascii(bytes, 0, limit).includes(needle);
}

function detectIsoMedia(bytes: Uint8Array): string | null {
  if (bytes[0] !== 0 || !hasAscii(bytes, "ftyp", 4)) return null;
  const brand = ascii(bytes, 8, 12);
  if (brand === "avif" || brand === "avis") return "image/avif";
  if (["heic", "heix", "heim", "heis", "hevc", "hevx"].includes(brand)) return "image/heic";
  if (brand === "mif1" || brand === "msf1") return "image/heif";
  if (brand === "qt  ") return "video/quicktime";
  if (brand === "M4A " || brand === "M4B ") return "audio/x-m4a";
  if (brand === "M4V " || brand === "M4VH" || brand === "M4VP") return "video/x-m4v";
  if (brand.startsWith("3gp")) return "video/3gpp";
  if (brand.startsWith("3g2")) return "video/3gpp2";
  return "video/mp4";
}

function detectZip(bytes: Uint8Array): string {
  const head = ascii(bytes, 0, 4096);
  if (head.startsWith("mimetype", 30)) {
    const declared = head.slice(38, 38 + 64).match(/^[a-z0-9.+\/-]+/)?.[0] ?? "";
    if (declared === "application/epub+zip") return declared;
    if (declared.startsWith("application/vnd.oasis.opendocument.")) return declared;
  }
  if (head.includes("word/")) return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  if (head.includes("xl/")) return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  if (head.includes("ppt/")) return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
  if (head.includes("META-INF/MANIFEST.MF")) return "application/java-archive";
  return "application/zip";
}

/** BITMAPINFOHEADER sizes of the known BMP variants (core, OS/2 v2, v1–v5). */
const BMP_DIB_SIZES = [12, 16, 40, 52, 56, 64, 108, 124];

/** Whether the DOS header's `e_lfanew` points at a `PE\0\0` signature. */
function hasPeHeader(b: Uint8Array): boolean {
  if (b.length < 64) return false;
  const at = b[60]! | (b[61]! << 8) | (b[62]! << 16) | (b[63]! << 24);
  return at > 0 && hasAscii(b, "PE\x00\x00", at);
}

function detectBinary(b: Uint8Array): string | null {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(b, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (hasAscii(b, "GIF87a") || hasAscii(b, "GIF89a")) return "image/gif";
  if (hasAscii(b, "RIFF")) {
    const kind = ascii(b, 8, 12);
    if (kind === "WEBP") return "image/webp";
    if (kind === "WAVE") return "audio/wav";
    if (kind === "AVI ") return "video/x-msvideo";
  }
  if (hasAscii(b, "BM") && b.length >= 18 && BMP_DIB_SIZES.includes(b[14]! | (b[15]! << 8)) && b[16] === 0 && b[17] === 0) {
    return "image/bmp";
  }
  if (startsWith(b, [0, 0, 1, 0]) && b.length >= 6 && b[4]! + b[5]! > 0) return "image/x-icon";
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return "image/tiff";
  if (hasAscii(b, "8BPS")) return "image/vnd.adobe.photoshop";
  if (hasAscii(b, "%PDF-")) return "application/pdf";
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return detectZip(b);
  if (startsWith(b, [0x50, 0x4b, 0x05, 0x06]) || startsWith(b, [0x50, 0x4b, 0x07, 0x08])) return "application/zip";
  if (startsWith(b, [0x1f, 0x8b])) return "application/gzip";
  if (hasAscii(b, "BZh") && b[3]! >= 0x31 && b[3]! <= 0x39 && (hasAscii(b, "1AY&SY", 4) || hasAscii(b, "\x17rE8P\x90", 4))) {
    return "application/x-bzip2";
  }
  if (startsWith(b, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return "application/x-xz";
  if (startsWith(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return "application/x-7z-compressed";
  if (hasAscii(b, "Rar!\x1a\x07")) return "application/x-rar-compressed";
  if (startsWith(b, [0x28, 0xb5, 0x2f, 0xfd])) return "application/zstd";
  if (hasAscii(b, "ustar", 257) && (b[262] === 0 || b[262] === 0x20)) return "application/x-tar";
  const iso = detectIsoMedia(b);
  if (iso) return iso;
  if (startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])) {
    return containsAscii(b, "webm", 4096) ? "video/webm" : "video/x-matroska";
  }
  if (hasAscii(b, "OggS")) {
    const head = ascii(b, 28, 40);
    if (head.startsWith("\x01vorbis") || head.startsWith("OpusHead") || head.startsWith("\x7fFLAC")) return "audio/ogg";
    if (head.startsWith("\x80theora")) return "video/ogg";
    return "application/ogg";
  }
  if (hasAscii(b, "fLaC")) return "audio/flac";
  if (hasAscii(b, "ID3") && b.length >= 10 && b[3]! >= 2 && b[3]! <= 4) return "audio/mpeg";
  if (b.length >= 2 && b[0] === 0xff && (b[1]! & 0xe0) === 0xe0) {
    if ((b[1]! & 0x16) === 0x10) return "audio/aac"; // ADTS: layer bits 00
    if ((b[1]! & 0x06) !== 0 && (b[1]! & 0x18) !== 0x08) return "audio/mpeg"; // MPEG audio frame
  }
  if (hasAscii(b, "MThd")) return "audio/midi";
  if (hasAscii(b, "FORM") && (hasAscii(b, "AIFF", 8) || hasAscii(b, "AIFC", 8))) return "audio/aiff";
  if (hasAscii(b, "wOFF")) return "font/woff";
  if (hasAscii(b, "wOF2")) return "font/woff2";
  if (startsWith(b, [0x00, 0x01, 0x00, 0x00, 0x00])) return "font/ttf";
  if (hasAscii(b, "OTTO") && b[4] === 0) return "font/otf";
  if (hasAscii(b, "\x00asm")) return "application/wasm";
  if (hasAscii(b, "SQLite format 3\x00")) return "application/vnd.sqlite3";
  if (hasAscii(b, "MZ") && (hasPeHeader(b) || sniffText(b) === null)) return "application/x-msdownload";
  if (startsWith(b, [0x7f, 0x45, 0x4c, 0x46])) return "application/x-executable";
  if (hasAscii(b, "{\\rtf")) return "text/rtf";
  return null;
}

/** Decodes the sniff window as UTF-8, or null when it is not text (NUL/control bytes, bad UTF-8). */
function sniffText(bytes: Uint8Array): string | null {
  let start = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  let end = Math.min(bytes.length, start + SNIFF_LENGTH);
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d && c !== 0x1b) return null;
  }
  if (end < bytes.length) {
    // Do not judge a multi-byte sequence that the window cut in two.
    let back = end;
    while (back > start && end - back < 4 && (bytes[back - 1]! & 0xc0) === 0x80) back--;
    if (back > start && bytes[back - 1]! >= 0xc0) end = back - 1;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(start, end));
  } catch {
    return null;
  }
}

const HTML_OPENERS = [
  "<!doctype html", "<html", "<head", "<body", "<script", "<iframe", "<h1", "<div", "<font",
  "<table", "<a", "<style", "<title", "<b", "<br", "<p", "<!--",
];

function isHtml(lower: string): boolean {
  return HTML_OPENERS.some((tag) => {
    if (!lower.startsWith(tag)) return false;
    if (tag === "<!--") return true;
    const next = lower[tag.length];
    return next === undefined || next === ">" || next === " " || next === "\t" || next === "\n" || next === "\r" || next === "\f";
  });
}

function isSvg(lower: string): boolean {
  if (lower.startsWith("<svg")) return true;
  if (lower.startsWith("<?xml") || lower.startsWith("<!doctype svg") || lower.startsWith("<!--")) {
    return /<svg[\s>\/]/.test(lower);
  }
  return false;
}

function isJson(bytes: Uint8Array, trimmed: string): boolean {
  if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) return false;
  try {
    JSON.parse(new TextDecoder().decode(bytes));
    return true;
  } catch {
    return false;
  }
}

/** `text/plain` refinements by file extension (never used to upgrade binary data). */
const TEXT_BY_EXTENSION: Record<string, string> = {
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  markdown: "text/markdown; charset=utf-8",
  ics: "text/calendar",
  vcf: "text/vcard",
  vtt: "text/vtt",
  srt: "application/x-subrip",
  yaml: "application/yaml",
  yml: "application/yaml",
};

function extensionOf(fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
}

/**
 * Detects a MIME type from the leading bytes: images (png, jpeg, gif, webp, bmp, ico, tiff,
 * avif, heic, psd, svg), documents (pdf, rtf, docx/xlsx/pptx, odf, epub), archives (zip, gzip,
 * bzip2, xz, 7z, rar, zstd, tar), media (mp4, mov, m4a, webm, mkv, mp3, aac, ogg, flac, wav,
 * avi, midi, aiff), fonts, wasm, sqlite, executables (PE → `application/x-msdownload`,
 * ELF → `application/x-executable`), then text: svg, html, xml, json, and finally
 * `text/plain; charset=utf-8` for any UTF-8 text or `application/octet-stream` otherwise.
 * Empty input is plain text. `fileName` only refines plain text (`.csv`, `.css`, `.md`, …).
 */
export function detectMime(bytes: Uint8Array, fileName?: string): string {
  // UTF-16 byte order marks first: FF FE would otherwise read as an MPEG audio frame sync.
  if (startsWith(bytes, [0xfe, 0xff])) return "text/plain; charset=utf-16be";
  if (startsWith(bytes, [0xff, 0xfe])) return "text/plain; charset=utf-16le";
  const binary = detectBinary(bytes);
  if (binary) return binary;
  const text = sniffText(bytes);
  if (text === null) return OCTET_STREAM;
  const trimmed = text.trimStart();
  const lower = trimmed.slice(0, 512).toLowerCase();
  if (isSvg(lower)) return "image/svg+xml";
  if (isHtml(lower)) return "text/html; charset=utf-8";
  if (lower.startsWith("<?xml")) return "text/xml; charset=utf-8";
  if (isJson(bytes, trimmed)) return "application/json";
  if (fileName) return TEXT_BY_EXTENSION[extensionOf(fileName)] ?? PLAIN_TEXT;
  return PLAIN_TEXT;
}

/** The MIME type without parameters, lower-cased (`text/plain; charset=utf-8` → `text/plain`). */
export function mimeEssence(mime: string): string {
  const semi = mime.indexOf(";");
  return (semi === -1 ? mime : mime.slice(0, semi)).trim().toLowerCase();
}

const EXTENSIONS: Record<string, string> = {
  "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
  "image/bmp": ".bmp", "image/x-icon": ".ico", "image/vnd.microsoft.icon": ".ico",
  "image/tiff": ".tiff", "image/avif": ".avif", "image/heic": ".heic", "image/heif": ".heif",
  "image/svg+xml": ".svg", "image/vnd.adobe.photoshop": ".psd",
  "application/pdf": ".pdf", "text/rtf": ".rtf", "application/rtf": ".rtf",
  "application/zip": ".zip", "application/gzip": ".gz", "application/x-gzip": ".gz",
  "application/x-bzip2": ".bz2", "application/x-xz": ".xz", "application/x-7z-compressed": ".7z",
  "application/x-rar-compressed": ".rar", "application/vnd.rar": ".rar", "application/zstd": ".zst",
  "application/x-tar": ".tar", "application/java-archive": ".jar", "application/epub+zip": ".epub",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
  "application/vnd.oasis.opendocument.text": ".odt",
  "application/vnd.oasis.opendocument.spreadsheet": ".ods",
  "application/vnd.oasis.opendocument.presentation": ".odp",
  "application/msword": ".doc", "application/vnd.ms-excel": ".xls",
  "video/mp4": ".mp4", "video/quicktime": ".mov", "video/x-m4v": ".m4v", "video/3gpp": ".3gp",
  "video/3gpp2": ".3g2", "video/webm": ".webm", "video/x-matroska": ".mkv", "video/x-msvideo": ".avi",
  "video/ogg": ".ogv", "audio/mpeg": ".mp3", "audio/aac": ".aac", "audio/x-m4a": ".m4a",
  "audio/mp4": ".m4a", "audio/ogg": ".ogg", "application/ogg": ".ogx", "audio/flac": ".flac",
  "audio/wav": ".wav", "audio/x-wav": ".wav", "audio/wave": ".wav", "audio/midi": ".midi",
  "audio/aiff": ".aiff", "audio/webm": ".webm",
  "font/woff": ".woff", "font/woff2": ".woff2", "font/ttf": ".ttf", "font/otf": ".otf",
  "application/wasm": ".wasm", "application/vnd.sqlite3": ".sqlite",
  "application/x-msdownload": ".exe", "application/vnd.microsoft.portable-executable": ".exe",
  "application/x-executable": "", "application/x-elf": "",
  "text/plain": ".txt", "text/html": ".html", "text/xml": ".xml", "application/xml": ".xml",
  "application/json": ".json", "text/csv": ".csv", "text/tab-separated-values": ".tsv",
  "text/css": ".css", "text/javascript": ".js", "application/javascript": ".js",
  "text/markdown": ".md", "text/calendar": ".ics", "text/vcard": ".vcf", "text/vtt": ".vtt",
  "application/x-subrip": ".srt", "application/yaml": ".yaml",
};

/**
 * The usual file extension (with the dot, e.g. `.png`) for a MIME type; parameters and case
 * are ignored. Returns `""` for unknown types and for types without a customary extension.
 */
export function extensionFor(mime: string): string {
  return EXTENSIONS[mimeEssence(mime)] ?? "";
}
