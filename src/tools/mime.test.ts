import { describe, expect, test } from "bun:test";
import { gzipSync } from "node:zlib";
import { detectMime, extensionFor, mimeEssence } from "./mime.ts";

function bytes(...parts: Array<string | number[]>): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "string") for (const ch of p) out.push(ch.charCodeAt(0) & 0xff);
    else out.push(...p);
  }
  return new Uint8Array(out);
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function padded(head: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(Math.max(size, head.length));
  out.set(head);
  return out;
}

describe("detectMime: images", () => {
  test("png, jpeg, gif, webp", () => {
    // 1x1 PNG signature + IHDR chunk start
    expect(detectMime(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], "IHDR"))).toBe("image/png");
    expect(detectMime(bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], "JFIF\0"))).toBe("image/jpeg");
    expect(detectMime(bytes([0xff, 0xd8, 0xff, 0xe1], "\0\0Exif"))).toBe("image/jpeg");
    expect(detectMime(bytes("GIF89a", [1, 0, 1, 0, 0x80, 0, 0]))).toBe("image/gif");
    expect(detectMime(bytes("GIF87a", [1, 0, 1, 0]))).toBe("image/gif");
    expect(detectMime(bytes("RIFF", [0x24, 0, 0, 0], "WEBPVP8 "))).toBe("image/webp");
  });

  test("bmp, ico, tiff, avif, heic, psd", () => {
    const bmp = bytes("BM", [0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 0x28, 0, 0, 0, 1, 0, 0, 0]);
    expect(detectMime(bmp)).toBe("image/bmp");
    expect(detectMime(bytes([0, 0, 1, 0, 1, 0, 16, 16, 0, 0]))).toBe("image/x-icon");
    expect(detectMime(bytes("II*", [0, 8, 0, 0, 0]))).toBe("image/tiff");
    expect(detectMime(bytes("MM", [0, 0x2a, 0, 0, 0, 8]))).toBe("image/tiff");
    expect(detectMime(bytes([0, 0, 0, 0x1c], "ftypavif", [0, 0, 0, 0], "avifmif1"))).toBe("image/avif");
    expect(detectMime(bytes([0, 0, 0, 0x18], "ftypheic", [0, 0, 0, 0], "mif1heic"))).toBe("image/heic");
    expect(detectMime(bytes("8BPS", [0, 1, 0, 0, 0, 0]))).toBe("image/vnd.adobe.photoshop");
  });

  test("svg by text sniffing", () => {
    expect(detectMime(utf8('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBe("image/svg+xml");
    expect(detectMime(utf8('\n  <?xml version="1.0"?>\n<!-- x -->\n<svg viewBox="0 0 1 1"/>'))).toBe("image/svg+xml");
    expect(detectMime(utf8('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg>'))).toBe("image/svg+xml");
    expect(detectMime(utf8('\ufeff<svg width="1"></svg>'))).toBe("image/svg+xml");
    // a file merely named .svg is not an image
    expect(detectMime(utf8("just text"), "logo.svg")).toBe("text/plain; charset=utf-8");
    expect(detectMime(utf8("<?xml version='1.0'?><svgfoo/>"))).toBe("text/xml; charset=utf-8");
  });

  test("text that only looks like a signature stays text", () => {
    expect(detectMime(utf8("BMW is a car brand, and this line is long enough"))).toBe("text/plain; charset=utf-8");
    expect(detectMime(utf8("MZ: a text file that starts with MZ and is rather long. ".repeat(3)))).toBe(
      "text/plain; charset=utf-8",
    );
    expect(detectMime(utf8("OTTO von Bismarck"))).toBe("text/plain; charset=utf-8");
    expect(detectMime(utf8("ID3 tags are metadata"))).toBe("text/plain; charset=utf-8");
    expect(detectMime(utf8("BZh is not bzip2"))).toBe("text/plain; charset=utf-8");
  });
});

describe("detectMime: documents and archives", () => {
  test("pdf", () => {
    expect(detectMime(utf8("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj"))).toBe("application/pdf");
  });

  test("zip and zip-based formats", () => {
    const localHeader = (name: string, extra = ""): Uint8Array =>
      bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0],
        [name.length, 0, 0, 0], name, extra);
    expect(detectMime(localHeader("hello.txt", "hello"))).toBe("application/zip");
    expect(detectMime(bytes([0x50, 0x4b, 0x05, 0x06], new Array(18).fill(0)))).toBe("application/zip");
    expect(detectMime(localHeader("[Content_Types].xml", "<Types/>PK\x03\x04....word/document.xml"))).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
    expect(detectMime(localHeader("mimetype", "application/epub+zipPK"))).toBe("application/epub+zip");
    expect(detectMime(localHeader("mimetype", "application/vnd.oasis.opendocument.textPK"))).toBe(
      "application/vnd.oasis.opendocument.text",
    );
  });

  test("gzip (real), bzip2, xz, 7z, rar, zstd, tar", () => {
    expect(detectMime(new Uint8Array(gzipSync(Buffer.from("hello world"))))).toBe("application/gzip");
    expect(detectMime(bytes("BZh9", [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]))).toBe("application/x-bzip2");
    expect(detectMime(bytes([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]))).toBe("application/x-xz");
    expect(detectMime(bytes([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]))).toBe("application/x-7z-compressed");
    expect(detectMime(bytes("Rar!", [0x1a, 0x07, 0x01, 0x00]))).toBe("application/x-rar-compressed");
    expect(detectMime(bytes([0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x00]))).toBe("application/zstd");
    const tar = padded(utf8("file.txt"), 512);
    tar.set(utf8("ustar\u000000"), 257);
    expect(detectMime(tar)).toBe("application/x-tar");
  });
});

describe("detectMime: audio and video", () => {
  test("mp4 family", () => {
    expect(detectMime(bytes([0, 0, 0, 0x20], "ftypisom", [0, 0, 2, 0], "isomiso2avc1mp41"))).toBe("video/mp4");
    expect(detectMime(bytes([0, 0, 0, 0x18], "ftypmp42", [0, 0, 0, 0], "mp42isom"))).toBe("video/mp4");
    expect(detectMime(bytes([0, 0, 0, 0x14], "ftypqt  ", [0, 0, 2, 0], "qt  "))).toBe("video/quicktime");
    expect(detectMime(bytes([0, 0, 0, 0x20], "ftypM4A ", [0, 0, 2, 0], "M4A mp42isom"))).toBe("audio/x-m4a");
    expect(detectMime(bytes([0, 0, 0, 0x14], "ftyp3gp4", [0, 0, 2, 0]))).toBe("video/3gpp");
  });

  test("webm vs matroska", () => {
    const ebml = [0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84];
    expect(detectMime(bytes(ebml, "webm", [0x42, 0x87]))).toBe("video/webm");
    expect(detectMime(bytes(ebml, "matroska"))).toBe("video/x-matroska");
  });

  test("mp3, aac, ogg, flac, wav, midi, aiff, avi", () => {
    expect(detectMime(bytes("ID3", [4, 0, 0, 0, 0, 0, 0x23]))).toBe("audio/mpeg");
    expect(detectMime(bytes([0xff, 0xfb, 0x90, 0x64, 0x00]))).toBe("audio/mpeg");
    expect(detectMime(bytes([0xff, 0xf3, 0x64, 0xc4]))).toBe("audio/mpeg");
    expect(detectMime(bytes([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc]))).toBe("audio/aac");
    const oggPage = (codec: string): Uint8Array =>
      bytes("OggS", [0, 2], new Array(20).fill(0), [1, 0x1e], codec);
    expect(detectMime(oggPage("\x01vorbis"))).toBe("audio/ogg");
    expect(detectMime(oggPage("OpusHead"))).toBe("audio/ogg");
    expect(detectMime(oggPage("\x80theora"))).toBe("video/ogg");
    expect(detectMime(oggPage("????????"))).toBe("application/ogg");
    expect(detectMime(bytes("fLaC", [0, 0, 0, 0x22]))).toBe("audio/flac");
    expect(detectMime(bytes("RIFF", [0x24, 0x08, 0, 0], "WAVEfmt ", [0x10, 0, 0, 0]))).toBe("audio/wav");
    expect(detectMime(bytes("RIFF", [0, 0, 0, 0], "AVI LIST"))).toBe("video/x-msvideo");
    expect(detectMime(bytes("MThd", [0, 0, 0, 6, 0, 1]))).toBe("audio/midi");
    expect(detectMime(bytes("FORM", [0, 0, 0, 0], "AIFFCOMM"))).toBe("audio/aiff");
  });
});

describe("detectMime: executables, fonts, misc", () => {
  test("PE and ELF", () => {
    const pe = new Uint8Array(128);
    pe.set(utf8("MZ"), 0);
    pe[0x3c] = 0x40;
    pe.set(bytes("PE", [0, 0, 0x4c, 0x01]), 0x40);
    expect(detectMime(pe)).toBe("application/x-msdownload");
    // an old DOS stub without a PE header is binary, still an executable
    expect(detectMime(bytes("MZ", [0x90, 0, 3, 0, 0, 0, 4, 0]))).toBe("application/x-msdownload");
    expect(detectMime(bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], new Array(8).fill(0)))).toBe("application/x-executable");
  });

  test("fonts, wasm, sqlite, rtf", () => {
    expect(detectMime(bytes("wOFF", [0, 1, 0, 0]))).toBe("font/woff");
    expect(detectMime(bytes("wOF2", [0, 1, 0, 0]))).toBe("font/woff2");
    expect(detectMime(bytes([0, 1, 0, 0, 0, 0x0f, 0, 0x80]))).toBe("font/ttf");
    expect(detectMime(bytes("OTTO", [0, 0x0b, 0, 0x80]))).toBe("font/otf");
    expect(detectMime(bytes([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))).toBe("application/wasm");
    expect(detectMime(bytes("SQLite format 3", [0, 0x10, 0]))).toBe("application/vnd.sqlite3");
    expect(detectMime(utf8("{\\rtf1\\ansi hello}"))).toBe("text/rtf");
  });
});

describe("detectMime: text", () => {
  test("plain utf-8 text, empty input, BOM", () => {
    expect(detectMime(utf8("hello world\n"))).toBe("text/plain; charset=utf-8");
    expect(detectMime(utf8("žluťoučký kůň 😀\r\n\tnext"))).toBe("text/plain; charset=utf-8");
    expect(detectMime(new Uint8Array(0))).toBe("text/plain; charset=utf-8");
    expect(detectMime(bytes([0xef, 0xbb, 0xbf], "hi"))).toBe("text/plain; charset=utf-8");
    expect(detectMime(bytes([0xff, 0xfe, 0x68, 0x00]))).toBe("text/plain; charset=utf-16le");
  });

  test("a multi-byte character cut by the sniff window is still text", () => {
    const text = "a".repeat(3071) + "é" + "b".repeat(10);
    expect(detectMime(utf8(text))).toBe("text/plain; charset=utf-8");
  });

  test("binary garbage and invalid utf-8 are octet-stream", () => {
    expect(detectMime(bytes([0x00, 0x01, 0x02, 0x03, 0xfe]))).toBe("application/octet-stream");
    expect(detectMime(bytes("hello", [0]))).toBe("application/octet-stream");
    expect(detectMime(bytes("caf", [0xe9], " latin-1"))).toBe("application/octet-stream");
    expect(detectMime(bytes([0xc3, 0x28]))).toBe("application/octet-stream");
  });

  test("html, xml, json", () => {
    expect(detectMime(utf8("<!DOCTYPE html>\n<html><body>x</body></html>"))).toBe("text/html; charset=utf-8");
    expect(detectMime(utf8("  <html lang='en'>"))).toBe("text/html; charset=utf-8");
    expect(detectMime(utf8("<p>para</p>"))).toBe("text/html; charset=utf-8");
    expect(detectMime(utf8("<pre>not a sniffed opener"))).toBe("text/plain; charset=utf-8");
    expect(detectMime(utf8("<?xml version='1.0'?><rss/>"))).toBe("text/xml; charset=utf-8");
    expect(detectMime(utf8('{"a": [1, 2, {"b": null}]}'))).toBe("application/json");
    expect(detectMime(utf8("[1,2,3]\n"))).toBe("application/json");
    expect(detectMime(utf8("{not json"))).toBe("text/plain; charset=utf-8");
  });

  test("the file name refines plain text only", () => {
    expect(detectMime(utf8("a,b\n1,2\n"), "data.CSV")).toBe("text/csv");
    expect(detectMime(utf8("body { color: red }"), "dir/site.css")).toBe("text/css; charset=utf-8");
    expect(detectMime(utf8("# Title"), "README.md")).toBe("text/markdown; charset=utf-8");
    expect(detectMime(utf8("plain"), "notes")).toBe("text/plain; charset=utf-8");
    expect(detectMime(utf8("plain"), ".csv")).toBe("text/plain; charset=utf-8");
    expect(detectMime(bytes([0, 1, 2, 3]), "image.png")).toBe("application/octet-stream");
    expect(detectMime(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), "x.csv")).toBe("image/png");
  });
});

describe("extensionFor / mimeEssence", () => {
  test("extensions", () => {
    expect(extensionFor("image/png")).toBe(".png");
    expect(extensionFor("image/jpeg")).toBe(".jpg");
    expect(extensionFor("IMAGE/SVG+XML")).toBe(".svg");
    expect(extensionFor("text/plain; charset=utf-8")).toBe(".txt");
    expect(extensionFor("application/json")).toBe(".json");
    expect(extensionFor("application/x-msdownload")).toBe(".exe");
    expect(extensionFor("video/webm")).toBe(".webm");
    expect(extensionFor("application/x-unknown")).toBe("");
    expect(extensionFor("")).toBe("");
  });

  test("every detected type round-trips to some extension or an intentional empty one", () => {
    expect(extensionFor(detectMime(utf8("<svg/>")))).toBe(".svg");
    expect(extensionFor(detectMime(new Uint8Array(gzipSync(Buffer.from("x")))))).toBe(".gz");
  });

  test("essence", () => {
    expect(mimeEssence("Text/HTML; charset=UTF-8")).toBe("text/html");
    expect(mimeEssence("image/png")).toBe("image/png");
  });
});
