/** The app settings stored in `_params` (row `settings`), PocketBase's JSON shape. */
export interface Settings {
  superuserIPs: string[];
  smtp: { enabled: boolean; port: number; host: string; username: string; password: string; authMethod: string; tls: boolean; localName: string };
  backups: { cron: string; cronMaxKeep: number; s3: S3Settings };
  s3: S3Settings;
  meta: { accentColor: string; appName: string; appURL: string; senderName: string; senderAddress: string; hideControls: boolean };
  rateLimits: { rules: RateLimitRule[]; excludedIPs: string[]; enabled: boolean };
  trustedProxy: { headers: string[]; useLeftmostIP: boolean };
  batch: { enabled: boolean; maxRequests: number; timeout: number; maxBodySize: number };
  logs: { maxDays: number; minLevel: number; logIP: boolean; logAuthId: boolean };
}

/** S3 storage settings. */
export interface S3Settings {
  enabled: boolean;
  bucket: string;
  region: string;
  endpoint: string;
  accessKey: string;
  secret: string;
  forcePathStyle: boolean;
}

/** One rate limit rule. */
export interface RateLimitRule {
  label: string;
  audience: string;
  duration: number;
  maxRequests: number;
}

function defaultS3(): S3Settings {
  return { enabled: false, bucket: "", region: "", endpoint: "", accessKey: "", secret: "", forcePathStyle: false };
}

/** PocketBase's default settings. */
export function defaultSettings(): Settings {
  return {
    superuserIPs: [],
    smtp: { enabled: false, port: 587, host: "smtp.example.com", username: "", password: "", authMethod: "", tls: false, localName: "" },
    backups: { cron: "", cronMaxKeep: 3, s3: defaultS3() },
    s3: defaultS3(),
    meta: { accentColor: "#1055c9", appName: "Acme", appURL: "http://localhost:8090", senderName: "Support", senderAddress: "support@example.com", hideControls: false },
    rateLimits: {
      rules: [
        { label: "*:auth", audience: "", duration: 3, maxRequests: 2 },
        { label: "*:create", audience: "", duration: 5, maxRequests: 20 },
        { label: "/api/batch", audience: "", duration: 1, maxRequests: 3 },
        { label: "/api/", audience: "", duration: 10, maxRequests: 300 },
      ],
      excludedIPs: [],
      enabled: false,
    },
    trustedProxy: { headers: [], useLeftmostIP: false },
    batch: { enabled: false, maxRequests: 50, timeout: 3, maxBodySize: 0 },
    logs: { maxDays: 5, minLevel: 0, logIP: true, logAuthId: false },
  };
}

/** Deep-merges `patch` onto `base` (objects merge, arrays and scalars replace). */
export function deepMerge<T>(base: T, patch: unknown): T {
  if (!isPlainObject(patch) || !isPlainObject(base)) return (patch === undefined ? base : patch) as T;
  const out: { [k: string]: unknown } = { ...(base as { [k: string]: unknown }) };
  for (const [k, v] of Object.entries(patch)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k], v) : v;
  }
  return out as T;
}

function isPlainObject(v: unknown): v is { [k: string]: unknown } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The settings as sent to clients: secrets removed, as PocketBase does. */
export function maskSettings(s: Settings): unknown {
  const out = structuredClone(s) as unknown as { [k: string]: { [k: string]: unknown } };
  delete out.smtp!.password;
  delete out.s3!.secret;
  delete (out.backups!.s3 as { [k: string]: unknown }).secret;
  return out;
}
