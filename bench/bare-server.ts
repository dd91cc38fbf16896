/**
 * The bare baseline: Bun.serve + bun:sqlite, no framework, answering the benchmark's view, list
 * (skipTotal) and create requests on the same data.db with the same JSON shapes. It is the floor
 * Satchel is measured against; it checks nothing (no auth, no rules, no validation beyond JSON).
 *
 * Usage: `bun bench/bare-server.ts <data.db> <port>`
 */
import { Database } from "bun:sqlite";
import { PRAGMAS } from "../src/store/sqlite/pragmas.ts";

const [dbPath, portArg] = process.argv.slice(2);
if (!dbPath || !portArg) {
  console.error("usage: bun bench/bare-server.ts <data.db> <port>");
  process.exit(2);
}
const db = new Database(dbPath);
for (const p of PRAGMAS) db.run(p);

const collectionIds = new Map<string, string>();
for (const row of db.query("SELECT id, name FROM _collections").all() as { id: string; name: string }[]) collectionIds.set(row.name, row.id);

type Row = { [k: string]: unknown };

function postJson(name: string, r: Row): Row {
  return {
    collectionId: collectionIds.get(name),
    collectionName: name,
    id: r.id,
    title: r.title,
    description: r.description,
    public: r.public === 1,
    type: JSON.parse(String(r.type)),
    author: r.author,
    created: r.created,
    updated: r.updated,
  };
}

function userJson(r: Row): Row {
  const out: Row = { collectionId: collectionIds.get("users"), collectionName: "users", id: r.id };
  if (r.emailVisibility === 1) out.email = r.email;
  out.emailVisibility = r.emailVisibility === 1;
  out.verified = r.verified === 1;
  out.username = r.username;
  out.organization = r.organization;
  out.permissions = JSON.parse(String(r.permissions));
  out.created = r.created;
  out.updated = r.updated;
  return out;
}

const ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(15));
  let s = "";
  for (const b of bytes) s += ID_CHARS[b % 36];
  return s;
}

function now(): string {
  return new Date().toISOString().replace("T", " ");
}

const viewUser = db.query("SELECT * FROM users WHERE id = ? LIMIT 1");
const POSTS = /^\/api\/collections\/(posts\d+k)\/records$/;
const USER = /^\/api\/collections\/users\/records\/([a-z0-9]+)$/;

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

Bun.serve({
  hostname: "127.0.0.1",
  port: Number(portArg),
  async fetch(req) {
    const url = new URL(req.url);
    if (url.pathname === "/api/health") return json(200, { message: "API is healthy.", code: 200, data: {} });
    let m = USER.exec(url.pathname);
    if (m && req.method === "GET") {
      const r = viewUser.get(m[1]!) as Row | null;
      return r ? json(200, userJson(r)) : json(404, { status: 404, message: "The requested resource wasn't found.", data: {} });
    }
    m = POSTS.exec(url.pathname);
    if (m) {
      const name = m[1]!;
      if (req.method === "GET") {
        const perPage = Math.min(1000, Math.max(1, Number(url.searchParams.get("perPage") ?? 30) || 30));
        const page = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
        const rows = db.query(`SELECT * FROM "${name}" LIMIT ? OFFSET ?`).all(perPage, (page - 1) * perPage) as Row[];
        return json(200, { items: rows.map((r) => postJson(name, r)), page, perPage, totalItems: -1, totalPages: -1 });
      }
      if (req.method === "POST") {
        let b: Row;
        try {
          b = (await req.json()) as Row;
        } catch {
          return json(400, { status: 400, message: "Failed to read the submitted data.", data: {} });
        }
        const ts = now();
        const row = db
          .query(`INSERT INTO "${name}" (id, title, description, public, type, author, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`)
          .get(newId(), String(b.title ?? ""), String(b.description ?? ""), b.public === true ? 1 : 0, JSON.stringify(Array.isArray(b.type) ? b.type : []), String(b.author ?? ""), ts, ts) as Row;
        return json(200, postJson(name, row));
      }
    }
    return json(404, { status: 404, message: "The requested resource wasn't found.", data: {} });
  },
});

process.on("SIGTERM", () => {
  db.close();
  process.exit(0);
});
