/**
 * The state of one compilation: options, the shared parameter list, the main join scope and the
 * hooks that let the resolver call back into the condition compiler without an import cycle.
 */
import type { CollectionConfig } from "../collections/collection-types.ts";
import type { SqlValue } from "../fields/field-kind.ts";
import type { GroupNode } from "./ast.ts";
import type { RequestInfo } from "./request-info.ts";
import type { SchemaLookup } from "./schema.ts";
import { JoinScope } from "./sql-text.ts";

/** The options every compilation takes. */
export interface CompileOptions {
  /** Resolves collections reached through relations, back-relations and `@collection.*`. */
  schema: SchemaLookup;
  /** The collection whose rows are filtered. */
  collection: CollectionConfig;
  /** The SQL alias of the filtered row (default: the collection name). */
  tableAlias?: string;
  /** The table (or CTE) that holds the filtered rows (default: the collection name). */
  tableName?: string;
  /** `@request.*` data; null/absent = a request-less evaluation (every `@request.*` is NULL). */
  request?: RequestInfo | null;
  /** False for non-superuser client filters: hidden fields are refused, `email` needs emailVisibility. */
  allowHiddenFields: boolean;
  /**
   * True for client-supplied filter/sort of a non-superuser: `@request.`/`@collection.` give 403
   * and the listRule of every collection reached through a relation constrains the joined rows.
   */
  client: boolean;
  /** The clock of the datetime macros (default: now). */
  now?: Date;
  /**
   * The reference form, kept for the equivalence tests: what the compiler emitted before the
   * semi-join optimisation (multi-valued paths only as LEFT JOINs + DISTINCT, match-all
   * sub-queries that re-read the row by id). Same results, slower on large tables.
   */
  plainJoins?: boolean;
}

/** One compilation in progress. */
export class CompileContext {
  readonly params: SqlValue[];
  readonly main: JoinScope;
  readonly tableAlias: string;
  readonly tableName: string;
  readonly request: RequestInfo | null;
  readonly now: Date;
  private readonly cachedParams = new Map<string, string>();
  private lrCounter = 0;
  /** Compiles a group in the main scope (set by the filter compiler). */
  compileGroup: (group: GroupNode) => string = () => {
    throw new Error("compileGroup not wired");
  };
  /**
   * The extra ON condition restricting a joined collection to what a client may list
   * (`""` when unrestricted). Set by the filter compiler in client mode.
   */
  visibility: ((collection: CollectionConfig, alias: string) => string) | null = null;

  /**
   * `params` and `main` may be shared between contexts (a list query compiles its rules, filter
   * and sort into one statement).
   */
  constructor(readonly opts: CompileOptions, params: SqlValue[] = [], main: JoinScope = new JoinScope(false)) {
    this.params = params;
    this.main = main;
    this.tableAlias = opts.tableAlias ?? opts.collection.name;
    this.tableName = opts.tableName ?? opts.collection.name;
    this.request = opts.request ?? null;
    this.now = opts.now ?? new Date();
  }

  /** Binds a value and returns its placeholder (`?N`). */
  bind(value: SqlValue): string {
    this.params.push(typeof value === "boolean" ? (value ? 1 : 0) : value);
    return `?${this.params.length}`;
  }

  /** Binds a value once per `key` per compilation and returns the shared placeholder. */
  bindOnce(key: string, value: () => SqlValue): string {
    let p = this.cachedParams.get(key);
    if (!p) {
      p = this.bind(value());
      this.cachedParams.set(key, p);
    }
    return p;
  }

  /** A fresh alias prefix for list-rule sub-queries. */
  nextListRuleAlias(): string {
    return `__lr${++this.lrCounter}`;
  }
}
