import type { ProviderDefinition } from "./provider.ts";

const cache = new Map<string, string>();

/**
 * The inline SVG logo `auth-methods` lists for a provider: a rounded square in the provider's
 * colour with its initial (our own drawing; PocketBase ships brand artwork).
 */
export function providerLogo(def: ProviderDefinition): string {
  const hit = cache.get(def.name);
  if (hit) return hit;
  const initial = (def.displayName.match(/[A-Za-z0-9]/)?.[0] ?? "?").toUpperCase();
  const dark = luminance(def.color) > 0.6;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24">` +
    `<rect width="24" height="24" rx="5" fill="${def.color}"/>` +
    `<text x="12" y="16.5" font-family="Arial,Helvetica,sans-serif" font-size="13" font-weight="700" text-anchor="middle" fill="${dark ? "#000" : "#fff"}">${initial}</text></svg>`;
  cache.set(def.name, svg);
  return svg;
}

function luminance(hex: string): number {
  const n = parseInt(hex.replace("#", ""), 16);
  if (!Number.isFinite(n)) return 0;
  return (0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
}
