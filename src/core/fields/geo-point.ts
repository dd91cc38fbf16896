import type { FieldKind } from "./field-kind.ts";
import { fieldError } from "../api-error.ts";
import { withCommonErrors } from "./common-options.ts";

/** The in-memory value of a geoPoint field. */
export interface GeoPoint {
  lon: number;
  lat: number;
}

function coordinate(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/.test(v)) return Number(v);
  return 0;
}

/**
 * Reads a point from `{lon, lat}` or its JSON text. Missing or non-numeric coordinates are 0;
 * anything else (null, garbage) is the empty point (0, 0).
 */
export function toGeoPoint(value: unknown): GeoPoint {
  let v = value;
  if (v instanceof Uint8Array) v = new TextDecoder().decode(v);
  if (typeof v === "string") {
    try {
      v = JSON.parse(v) as unknown;
    } catch {
      v = null;
    }
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return { lon: 0, lat: 0 };
  const o = v as Record<string, unknown>;
  return { lon: coordinate(o.lon), lat: coordinate(o.lat) };
}

/** The `geoPoint` field: a `{lon, lat}` pair where (0, 0) counts as empty. */
export const geoPointField: FieldKind = {
  type: "geoPoint",
  defaults: () => ({}),
  columnType: () => `JSON DEFAULT '{"lon":0,"lat":0}' NOT NULL`,
  isMultiple: () => false,
  zero: () => ({ lon: 0, lat: 0 }) satisfies GeoPoint,
  normalize: (_field, value) => toGeoPoint(value),
  fromDb: (_field, raw) => toGeoPoint(raw),
  toDb: (_field, value) => {
    const p = toGeoPoint(value);
    return JSON.stringify({ lon: p.lon, lat: p.lat });
  },
  toJSON: (_field, value) => {
    const p = toGeoPoint(value);
    return { lon: p.lon, lat: p.lat };
  },

  validateValue(field, value) {
    const p = toGeoPoint(value);
    if (p.lon === 0 && p.lat === 0) return field.required ? fieldError("validation_required", "Cannot be blank.") : null;
    if (!Number.isFinite(p.lat) || p.lat < -90 || p.lat > 90) {
      return fieldError("validation_invalid_latitude", "Latitude must be between -90 and 90 degrees.");
    }
    if (!Number.isFinite(p.lon) || p.lon < -180 || p.lon > 180) {
      return fieldError("validation_invalid_longitude", "Longitude must be between -180 and 180 degrees.");
    }
    return null;
  },

  validateOptions: (field) => withCommonErrors(field, {}),
};
