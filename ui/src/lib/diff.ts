/** A small line diff (LCS) for the import preview. */

/** One line of a diff: unchanged, removed or added. */
export interface DiffLine {
  kind: " " | "-" | "+";
  text: string;
}

/** JSON with recursively sorted keys, minus volatile keys, for stable comparisons. */
export function stableJson(value: unknown, drop: string[] = ["created", "updated"]): string {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v as object).sort()) if (!drop.includes(k)) out[k] = norm((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return JSON.stringify(norm(value), null, 2);
}

/** Line diff of two texts; null when they are too large to diff here. */
export function diffLines(a: string, b: string, max = 4000): DiffLine[] | null {
  const x = a ? a.split("\n") : [];
  const y = b ? b.split("\n") : [];
  if (x.length > max || y.length > max) return null;
  const n = x.length;
  const m = y.length;
  const lcs: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      out.push({ kind: " ", text: x[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ kind: "-", text: x[i++]! });
    else out.push({ kind: "+", text: y[j++]! });
  }
  while (i < n) out.push({ kind: "-", text: x[i++]! });
  while (j < m) out.push({ kind: "+", text: y[j++]! });
  return out;
}

/** Keeps only changed lines and `context` lines around them ("…" marks gaps). */
export function compact(lines: DiffLine[], context = 2): (DiffLine | null)[] {
  const keep = new Array(lines.length).fill(false);
  lines.forEach((l, i) => {
    if (l.kind !== " ") for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = true;
  });
  const out: (DiffLine | null)[] = [];
  let gap = false;
  lines.forEach((l, i) => {
    if (keep[i]) {
      out.push(l);
      gap = false;
    } else if (!gap) {
      out.push(null);
      gap = true;
    }
  });
  return out;
}
