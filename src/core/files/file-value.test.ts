import { describe, expect, test } from "bun:test";
import { applyFileModifier, fileItems, fileNames, mimeAllowed, validateFileValue } from "./file-value.ts";
import { UploadFile } from "./upload-file.ts";
import { newField } from "../fields/field-defaults.ts";
import { fakeExe, gradientPng, pngBombHeader } from "../../../test/helpers/test-images.ts";

const multi = newField("file", "files", { maxSelect: 3, maxSize: 1000, mimeTypes: ["image/png", "image/jpg"] });
const single = newField("file", "file", { maxSelect: 1 });

describe("file values", () => {
  test("items keep pending files and stored names, without duplicates", () => {
    const f = UploadFile.fromBytes(gradientPng(2, 2), "a.png");
    expect(fileItems(["x.png", f, "x.png", f, ""])).toEqual(["x.png", f]);
    expect(fileItems('["a","b"]')).toEqual(["a", "b"]);
    expect(fileNames(["x.png", f])).toEqual(["x.png", f.name]);
    expect(JSON.stringify([f])).toBe(`["${f.name}"]`);
    expect(String(f)).toBe(f.name);
  });

  test("modifiers", () => {
    const f = UploadFile.fromBytes(gradientPng(2, 2), "a.png");
    expect(applyFileModifier(multi, ["a"], "append", [f])).toEqual(["a", f]);
    expect(applyFileModifier(multi, ["a"], "prepend", f)).toEqual([f, "a"]);
    expect(applyFileModifier(multi, ["a", "b", f], "remove", ["a", f.name])).toEqual(["b"]);
    expect(applyFileModifier(single, "a", "append", [f])).toBe(f);
  });

  test("validation of new files from their real content", () => {
    const png = UploadFile.fromBytes(gradientPng(4, 4), "ok.png");
    expect(png.mime).toBe("image/png");
    expect([png.width, png.height]).toEqual([4, 4]);
    expect(validateFileValue(multi, [png], [])).toBeNull();
    const exe = UploadFile.fromBytes(fakeExe(), "cat.png");
    expect(exe.name).toMatch(/\.png$/);
    expect(validateFileValue(multi, [exe], [])?.code).toBe("validation_invalid_mime_type");
    const big = UploadFile.fromBytes(new Uint8Array(2000).fill(65), "big.png");
    expect(validateFileValue(multi, [big], [])?.code).toBe("validation_file_size_limit");
    const empty = UploadFile.fromBytes(new Uint8Array(0), "empty.png");
    expect(validateFileValue(multi, [empty], [])?.code).toBe("validation_invalid_file");
    const bomb = UploadFile.fromBytes(pngBombHeader(100000, 100000), "bomb.png");
    expect(validateFileValue(multi, [bomb], [])?.code).toBe("validation_invalid_file");
    expect(validateFileValue(multi, [png, png.name, "a", "b"], [])?.code).toBe("validation_too_many_files");
    expect(validateFileValue(multi, ["not-stored.png"], ["stored.png"])).toMatchObject({ code: "validation_invalid_file", params: { invalidFiles: ["not-stored.png"] } });
    expect(validateFileValue(multi, ["stored.png", png], ["stored.png"])).toBeNull();
    expect(validateFileValue({ ...single, required: true }, "", "")?.code).toBe("validation_required");
    // default maxSize is 5 MiB
    expect(validateFileValue(single, [big], "")).toBeNull();
  });

  test("MIME aliases", () => {
    expect(mimeAllowed("image/jpeg", ["image/jpg"])).toBe(true);
    expect(mimeAllowed("text/plain; charset=utf-8", ["text/plain"])).toBe(true);
    expect(mimeAllowed("application/x-msdownload", ["image/png"])).toBe(false);
  });
});
