/** A parsed `CREATE INDEX` statement (PocketBase's loose index grammar). */
export interface ParsedIndex {
  unique: boolean;
  optional: boolean;
  schemaName: string;
  indexName: string;
  tableName: string;
  /** The column list / expressions, each with its optional collate and sort. */
  columns: { name: string; collate: string; sort: string }[];
  where: string;
}

const INDEX_RE =
  /^\s*create\s+(unique\s+)?index\s+(if\s+not\s+exists\s+)?(?:[`"'[]?(\w+)[`"'\]]?\s*\.\s*)?[`"'[]?(\w+)[`"'\]]?\s+on\s+[`"'[]?(\w+)[`"'\]]?\s*\(([\s\S]+?)\)\s*(?:where\s+([\s\S]+))?;?\s*$/i;

/** Parses an index definition; returns null when it is not a valid one. */
export function parseIndex(sql: string): ParsedIndex | null {
  const m = INDEX_RE.exec(sql);
  if (!m) return null;
  const columns = splitTopLevel(m[6]!).map((raw) => {
    let s = raw.trim();
    let sort = "";
    let collate = "";
    const sm = /\s+(asc|desc)$/i.exec(s);
    if (sm) {
      sort = sm[1]!.toUpperCase();
      s = s.slice(0, sm.index).trim();
    }
    const cm = /\s+collate\s+(\w+)$/i.exec(s);
    if (cm) {
      collate = cm[1]!;
      s = s.slice(0, cm.index).trim();
    }
    const name = /^[`"'[]?(\w+)[`"'\]]?$/.exec(s)?.[1] ?? s;
    return { name, collate, sort };
  });
  if (columns.length === 0 || columns.some((c) => c.name === "")) return null;
  return {
    unique: !!m[1],
    optional: !!m[2],
    schemaName: m[3] ?? "",
    indexName: m[4]!,
    tableName: m[5]!,
    columns,
    where: (m[7] ?? "").trim(),
  };
}

/** Builds the SQL of an index for the given table name (the table is always rewritten). */
export function buildIndexSql(ix: ParsedIndex, table: string): string {
  const cols = ix.columns
    .map((c) => {
      const name = /^\w+$/.test(c.name) ? `\`${c.name}\`` : c.name;
      return name + (c.collate ? ` COLLATE ${c.collate}` : "") + (c.sort ? ` ${c.sort}` : "");
    })
    .join(", ");
  return `CREATE ${ix.unique ? "UNIQUE " : ""}INDEX \`${ix.indexName}\` ON \`${table}\` (${cols})${ix.where ? " WHERE " + ix.where : ""}`;
}

/** True when the collection has a single-column UNIQUE index on the column. */
export function hasSingleColumnUniqueIndex(indexes: readonly string[], column: string): boolean {
  return indexes.some((sql) => {
    const ix = parseIndex(sql);
    return !!ix && ix.unique && ix.columns.length === 1 && ix.columns[0]!.name.toLowerCase() === column.toLowerCase();
  });
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  let quote = "";
  for (const ch of s) {
    if (quote) {
      cur += ch;
      if (ch === quote) quote = "";
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`") quote = ch;
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}
