import { describe, expect, test } from "bun:test";
import { extractExtension, generateFileName, isValidStoredName } from "./file-names.ts";

const RAND = "[a-z0-9]{10}";

describe("generateFileName", () => {
  test("PocketBase's shape", () => {
    expect(generateFileName("My Photo.PNG", "image/png")).toMatch(new RegExp(`^my_photo_${RAND}\\.PNG$`));
    expect(generateFileName("archive.tar.gz", "application/gzip")).toMatch(new RegExp(`^archive_${RAND}\\.tar\\.gz$`));
    expect(generateFileName("fooBar-baz.txt", "text/plain")).toMatch(new RegExp(`^foo_bar_baz_${RAND}\\.txt$`));
  });

  test("extension from content when missing, cleaned and capped", () => {
    expect(generateFileName("photo", "image/jpeg")).toMatch(new RegExp(`^photo_${RAND}\\.jpg$`));
    expect(generateFileName("data.p<n>g", "image/png")).toMatch(new RegExp(`^data_${RAND}\\.png$`));
    const long = generateFileName("x." + "e".repeat(40), "text/plain");
    expect(long.slice(long.lastIndexOf("_") + 11).length).toBeLessThanOrEqual(20);
  });

  test("short and long bases, dots and paths", () => {
    expect(generateFileName("a.png", "image/png")).toMatch(new RegExp(`^a${RAND}_${RAND}\\.png$`));
    expect(generateFileName("b".repeat(150) + ".png", "image/png")).toMatch(new RegExp(`^b{100}_${RAND}\\.png$`));
    expect(generateFileName("..hidden.txt.", "text/plain")).toMatch(new RegExp(`^hidden_${RAND}\\.txt$`));
    for (const evil of ["../../etc/passwd", "..\\..\\win.ini", "/abs/path/x.png", "a/../../b.png"]) {
      const n = generateFileName(evil, "text/plain");
      expect(n).not.toContain("/");
      expect(n).not.toContain("\\");
      expect(n.startsWith(".")).toBe(false);
      expect(isValidStoredName(n)).toBe(true);
    }
    expect(generateFileName("", "application/octet-stream")).toMatch(new RegExp(`^${RAND}_${RAND}$`));
  });

  test("double extensions and name validity", () => {
    expect(extractExtension("test.txt")).toBe(".txt");
    expect(extractExtension("test.a.tar.gz")).toBe(".tar.gz");
    expect(extractExtension("noext")).toBe("");
    expect(isValidStoredName(".x")).toBe(false);
    expect(isValidStoredName("a/b")).toBe(false);
    expect(isValidStoredName("x".repeat(151))).toBe(false);
  });
});
