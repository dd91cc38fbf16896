/**
 * Built-in collection scaffolds (used until `GET /api/collections/meta/scaffolds` answers) and
 * index helpers (parse an index, follow renames).
 */

const idField = {
  id: "text3208210256", name: "id", type: "text", system: true, hidden: false, presentable: false,
  required: true, primaryKey: true, min: 15, max: 15, pattern: "^[a-z0-9]+$", autogeneratePattern: "[a-z0-9]{15}",
};

const rules = { listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null };

function autodates() {
  return [
    { name: "created", type: "autodate", system: false, hidden: false, presentable: false, onCreate: true, onUpdate: false },
    { name: "updated", type: "autodate", system: false, hidden: false, presentable: false, onCreate: true, onUpdate: true },
  ];
}

/** Scaffolds for base, auth and view collections (PocketBase's defaults, minus server-made ids). */
export function fallbackScaffolds(): Record<string, Record<string, unknown>> {
  const tpl = (subject: string, body: string) => ({ subject, body });
  return {
    base: { name: "", type: "base", system: false, ...rules, fields: [idField, ...autodates()], indexes: [] },
    view: { name: "", type: "view", system: false, listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null, viewQuery: "", fields: [], indexes: [] },
    auth: {
      name: "", type: "auth", system: false, ...rules, authRule: "", manageRule: null,
      fields: [
        idField,
        { name: "password", type: "password", system: true, hidden: true, presentable: false, required: true, min: 8, max: 0, pattern: "", cost: 0 },
        { name: "tokenKey", type: "text", system: true, hidden: true, presentable: false, required: true, min: 30, max: 60, pattern: "", autogeneratePattern: "[a-zA-Z0-9]{50}", primaryKey: false },
        { name: "email", type: "email", system: true, hidden: false, presentable: false, required: true, exceptDomains: null, onlyDomains: null },
        { name: "emailVisibility", type: "bool", system: true, hidden: false, presentable: false, required: false },
        { name: "verified", type: "bool", system: true, hidden: false, presentable: false, required: false },
        ...autodates(),
      ],
      indexes: [],
      authAlert: { enabled: true, emailTemplate: tpl("Login from a new location", "<p>Hello,</p>\n<p>We noticed a login to your {APP_NAME} account from a new location:</p>\n<p><em>{ALERT_INFO}</em></p>") },
      oauth2: { enabled: false, providers: [], mappedFields: { id: "", name: "", username: "", avatarURL: "" } },
      passwordAuth: { enabled: true, identityFields: ["email"] },
      mfa: { enabled: false, duration: 1800, rule: "" },
      otp: { enabled: false, duration: 180, length: 8, emailTemplate: tpl("OTP for {APP_NAME}", "<p>Hello,</p>\n<p>Your one-time password is: <strong>{OTP}</strong></p>") },
      authToken: { duration: 604800 },
      passwordResetToken: { duration: 1800 },
      emailChangeToken: { duration: 1800 },
      verificationToken: { duration: 259200 },
      fileToken: { duration: 180 },
      verificationTemplate: tpl("Verify your {APP_NAME} email", '<p>Hello,</p>\n<p><a href="{APP_URL}/_/#/auth/confirm-verification/{TOKEN}">Verify my email</a></p>'),
      resetPasswordTemplate: tpl("Reset your {APP_NAME} password", '<p>Hello,</p>\n<p><a href="{APP_URL}/_/#/auth/confirm-password-reset/{TOKEN}">Reset password</a></p>'),
      confirmEmailChangeTemplate: tpl("Confirm your {APP_NAME} new email address", '<p>Hello,</p>\n<p><a href="{APP_URL}/_/#/auth/confirm-email-change/{TOKEN}">Confirm new email</a></p>'),
    },
  };
}

/** A parsed `CREATE [UNIQUE] INDEX` statement. */
export interface ParsedIndex {
  unique: boolean;
  name: string;
  table: string;
  columns: string[];
  where: string;
}

/** Parses an index definition; null when it is not in the usual form. */
export function parseIndex(sql: string): ParsedIndex | null {
  const m = /^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?[`"[]?([\w.]+)[`"\]]?\s+ON\s+[`"[]?(\w+)[`"\]]?\s*\(([\s\S]*?)\)\s*(?:WHERE\s+([\s\S]*))?$/i.exec(sql);
  if (!m) return null;
  const columns = m[4]!.split(",").map((s) => s.trim().replace(/^[`"[]|[`"\]]$/g, "").replace(/[`"\]]\s+(COLLATE|ASC|DESC).*$/i, "")).filter(Boolean);
  return { unique: !!m[1], name: m[2]!, table: m[3]!, columns, where: (m[5] ?? "").trim() };
}

/** Builds an index definition. */
export function buildIndex(p: ParsedIndex): string {
  const cols = p.columns.map((c) => (/^\w+$/.test(c) ? `\`${c}\`` : c)).join(", ");
  return `CREATE ${p.unique ? "UNIQUE " : ""}INDEX \`${p.name}\` ON \`${p.table}\` (${cols})${p.where ? ` WHERE ${p.where}` : ""}`;
}

/**
 * Follows a rename into index definitions: the table name (`ON \`old\``) when `table`, else a
 * column name inside the column list.
 */
export function renameInIndexes(indexes: string[], from: string, to: string, table: boolean): string[] {
  const esc = from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return indexes.map((sql) => {
    if (table) return sql.replace(new RegExp(`(\\bON\\s+)([\`"[]?)${esc}([\`"\\]]?)(\\s*\\()`, "i"), `$1$2${to}$3$4`);
    const open = sql.indexOf("(");
    if (open < 0) return sql;
    const head = sql.slice(0, open);
    const tail = sql.slice(open).replace(new RegExp(`([\`"[]?)\\b${esc}\\b([\`"\\]]?)`, "g"), `$1${to}$2`);
    return head + tail;
  });
}
