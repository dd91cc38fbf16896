import { describe, expect, test } from "bun:test";
import type { FieldOptionsContext, FieldValidateContext } from "./field-kind.ts";
import { geoPointField } from "./geo-point.ts";
import { newField } from "./field-defaults.ts";

const ctx: FieldValidateContext = { isNew: true, original: { lon: 0, lat: 0 }, countExisting: () => 0 };
const optCtx: FieldOptionsContext = { collectionType: "base", findCollection: () => null, previous: null };
const f = newField("geoPoint", "point");

describe("geoPoint", () => {
  test("normalise from objects and JSON", () => {
    expect(geoPointField.normalize(f, { lon: 23.3, lat: 42.6 })).toEqual({ lon: 23.3, lat: 42.6 });
    expect(geoPointField.normalize(f, '{"lon":-74.006015,"lat":40.712728}')).toEqual({ lon: -74.006015, lat: 40.712728 });
    expect(geoPointField.normalize(f, { lat: "1.5" })).toEqual({ lon: 0, lat: 1.5 });
    expect(geoPointField.normalize(f, null)).toEqual({ lon: 0, lat: 0 });
    expect(geoPointField.normalize(f, "garbage")).toEqual({ lon: 0, lat: 0 });
    expect(geoPointField.normalize(f, [1, 2])).toEqual({ lon: 0, lat: 0 });
  });

  test("storage", () => {
    expect(geoPointField.fromDb(f, '{"lat":0,"lon":0}')).toEqual({ lon: 0, lat: 0 });
    expect(geoPointField.fromDb(f, '{"lon":23.333157,"lat":42.654318}')).toEqual({ lon: 23.333157, lat: 42.654318 });
    expect(geoPointField.toDb(f, { lat: 2, lon: 1 })).toBe('{"lon":1,"lat":2}');
    expect(JSON.stringify(geoPointField.toJSON(f, { lat: 2, lon: 1 }))).toBe('{"lon":1,"lat":2}');
    expect(geoPointField.columnType(f)).toBe(`JSON DEFAULT '{"lon":0,"lat":0}' NOT NULL`);
  });

  test("validation", () => {
    expect(geoPointField.validateValue(f, { lon: 0, lat: 0 }, ctx)).toBeNull();
    expect(geoPointField.validateValue(newField("geoPoint", "p", { required: true }), { lon: 0, lat: 0 }, ctx)?.code).toBe("validation_required");
    expect(geoPointField.validateValue(newField("geoPoint", "p", { required: true }), { lon: 0, lat: 1 }, ctx)).toBeNull();
    expect(geoPointField.validateValue(f, { lon: 180, lat: -90 }, ctx)).toBeNull();
    expect(geoPointField.validateValue(f, { lon: 0, lat: 90.1 }, ctx)).toEqual({
      code: "validation_invalid_latitude", message: "Latitude must be between -90 and 90 degrees.",
    });
    expect(geoPointField.validateValue(f, { lon: -180.5, lat: 0 }, ctx)?.code).toBe("validation_invalid_longitude");
    expect(geoPointField.validateValue(f, { lon: 1, lat: NaN }, ctx)?.code).toBe("validation_invalid_latitude");
    expect(geoPointField.validateValue(f, { lon: Infinity, lat: 1 }, ctx)?.code).toBe("validation_invalid_longitude");
    expect(geoPointField.validateOptions(f, optCtx)).toBeNull();
  });
});
