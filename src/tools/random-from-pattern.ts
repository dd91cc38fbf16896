/**
 * Random strings generated from a simple regular expression (`[a-z0-9]{15}`, `users[0-9]{5}`,
 * `[A-Z]{3}-\d{2}`), as used by text fields' `autogeneratePattern`. Imports nothing of ours.
 *
 * Supported: literals, escapes (`\d \w \s \D \W \S \n \t \r \xHH`, escaped punctuation), `.`,
 * character classes with ranges and negation, groups (`(…)`, `(?:…)`, named), alternation,
 * quantifiers `{n}` `{n,}` `{n,m}` `?` `*` `+` (lazy `?` suffix accepted). Anchors and inline
 * flags are accepted and ignored. Unbounded quantifiers repeat at most `UNBOUNDED_EXTRA` extra
 * times.
 */

/** How many repetitions beyond the minimum an unbounded quantifier (`*`, `+`, `{n,}`) may add. */
export const UNBOUNDED_EXTRA = 10;

/** PocketBase parity: Go's RE2 rejects repeat counts above 1000. */
const MAX_REPEAT = 1000;

type Node =
  | { kind: "set"; chars: string[] }
  | { kind: "alt"; branches: Node[][] }
  | { kind: "repeat"; node: Node; min: number; max: number };

const DIGITS = chars("0", "9");
const WORD = [...chars("a", "z"), ...chars("A", "Z"), ...DIGITS, "_"];
const SPACE = [" "];
/** The universe `.` and negated classes draw from: printable ASCII without space. */
const PRINTABLE = chars("!", "~");

function chars(from: string, to: string): string[] {
  const out: string[] = [];
  for (let c = from.codePointAt(0)!; c <= to.codePointAt(0)!; c++) out.push(String.fromCodePoint(c));
  return out;
}

function complement(set: string[]): string[] {
  const exclude = new Set(set);
  return PRINTABLE.filter((c) => !exclude.has(c));
}

/** Random 32-bit words drawn from the CSPRNG in batches (one `getRandomValues` per 256 draws). */
const pool = new Uint32Array(256);
let poolPos = pool.length;

function randomWord(): number {
  if (poolPos === pool.length) {
    crypto.getRandomValues(pool);
    poolPos = 0;
  }
  return pool[poolPos++]!;
}

/** A uniform random integer in [0, n). */
function randomInt(n: number): number {
  if (n <= 1) return 0;
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  for (;;) {
    const w = randomWord();
    if (w < limit) return w % n;
  }
}

class PatternParser {
  private pos = 0;
  private readonly src: string[];

  constructor(pattern: string) {
    this.src = [...pattern];
  }

  parse(): Node {
    const node = this.parseAlternation();
    if (this.pos < this.src.length) throw new Error(`unexpected ")" at position ${this.pos}`);
    return node;
  }

  private peek(): string | undefined {
    return this.src[this.pos];
  }

  private next(): string {
    const c = this.src[this.pos++];
    if (c === undefined) throw new Error("unexpected end of pattern");
    return c;
  }

  private parseAlternation(): Node {
    const branches: Node[][] = [this.parseSequence()];
    while (this.peek() === "|") {
      this.pos++;
      branches.push(this.parseSequence());
    }
    return { kind: "alt", branches };
  }

  private parseSequence(): Node[] {
    const seq: Node[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === "|" || c === ")") return seq;
      const atom = this.parseAtom();
      if (atom) seq.push(this.parseQuantifiers(atom));
    }
  }

  private parseAtom(): Node | null {
    const c = this.next();
    switch (c) {
      case "^":
      case "$":
        return null;
      case ".":
        return { kind: "set", chars: PRINTABLE };
      case "[":
        return { kind: "set", chars: this.parseClass() };
      case "(":
        return this.parseGroup();
      case "\\":
        return { kind: "set", chars: this.parseEscape(false) };
      case "*":
      case "+":
      case "?":
        throw new Error(`missing argument to repetition operator "${c}"`);
      default:
        return { kind: "set", chars: [c] };
    }
  }

  private parseGroup(): Node | null {
    if (this.peek() === "?") {
      this.pos++;
      const c = this.next();
      if (c === "P" || c === "<") {
        if (c === "P" && this.next() !== "<") throw new Error("invalid named group");
        while (this.next() !== ">");
      } else if (c !== ":") {
        // inline flags: (?i) or (?i:…)
        let f = c;
        while (f !== ")" && f !== ":") f = this.next();
        if (f === ")") return null;
      }
    }
    const inner = this.parseAlternation();
    if (this.next() !== ")") throw new Error("missing closing )");
    return inner;
  }

  private parseEscape(inClass: boolean): string[] {
    const c = this.next();
    switch (c) {
      case "d": return DIGITS;
      case "D": return complement(DIGITS);
      case "w": return WORD;
      case "W": return complement(WORD);
      case "s": return SPACE;
      case "S": return complement(SPACE);
      case "n": return ["\n"];
      case "t": return ["\t"];
      case "r": return ["\r"];
      case "f": return ["\f"];
      case "v": return ["\v"];
      case "x": {
        const hex = this.next() + this.next();
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Error("invalid \\x escape");
        return [String.fromCharCode(parseInt(hex, 16))];
      }
      case "A":
      case "z":
      case "b":
      case "B":
        if (inClass) throw new Error(`invalid escape \\${c} in class`);
        return [];
      default:
        if (/[A-Za-z0-9]/.test(c)) throw new Error(`invalid escape sequence \\${c}`);
        return [c];
    }
  }

  private parseClass(): string[] {
    let negate = false;
    if (this.peek() === "^") {
      negate = true;
      this.pos++;
    }
    const set = new Set<string>();
    let first = true;
    for (;;) {
      let c = this.next();
      if (c === "]" && !first) break;
      first = false;
      let single: string | null = null;
      if (c === "\\") {
        const esc = this.parseEscape(true);
        if (esc.length === 1) single = esc[0]!;
        else for (const e of esc) set.add(e);
      } else if (c === "[" && this.peek() === ":") {
        throw new Error("POSIX classes are not supported");
      } else {
        single = c;
      }
      if (single === null) continue;
      if (this.peek() === "-" && this.src[this.pos + 1] !== undefined && this.src[this.pos + 1] !== "]") {
        this.pos++;
        c = this.next();
        const to = c === "\\" ? this.parseEscape(true) : [c];
        if (to.length !== 1) throw new Error("invalid character class range");
        if (to[0]!.codePointAt(0)! < single.codePointAt(0)!) throw new Error("invalid character class range");
        for (const r of chars(single, to[0]!)) set.add(r);
      } else {
        set.add(single);
      }
    }
    const list = [...set];
    const result = negate ? complement(list) : list;
    if (result.length === 0) throw new Error("empty character class");
    return result;
  }

  private parseQuantifiers(atom: Node): Node {
    let node = atom;
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      if (c === "?") [min, max] = [0, 1];
      else if (c === "*") [min, max] = [0, UNBOUNDED_EXTRA];
      else if (c === "+") [min, max] = [1, 1 + UNBOUNDED_EXTRA];
      else if (c === "{") {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos).join(""));
        if (!m) return node; // RE2 treats a malformed `{` as a literal
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === "" ? min + UNBOUNDED_EXTRA : Number(m[3]);
        if (min > MAX_REPEAT || max > MAX_REPEAT + UNBOUNDED_EXTRA || (m[3] && Number(m[3]) > MAX_REPEAT)) {
          throw new Error("invalid repeat count");
        }
        if (max < min) throw new Error("invalid repeat count");
        this.pos += m[0].length - 1;
      } else return node;
      this.pos++;
      if (this.peek() === "?") this.pos++; // lazy: same strings
      node = { kind: "repeat", node, min, max };
    }
  }
}

function generate(node: Node, out: string[]): void {
  switch (node.kind) {
    case "set":
      if (node.chars.length > 0) out.push(node.chars[randomInt(node.chars.length)]!);
      return;
    case "alt": {
      const branch = node.branches[randomInt(node.branches.length)]!;
      for (const n of branch) generate(n, out);
      return;
    }
    case "repeat": {
      const times = node.min + randomInt(node.max - node.min + 1);
      for (let i = 0; i < times; i++) generate(node.node, out);
      return;
    }
  }
}

/** How many parsed patterns are kept (every record id is generated from one). */
const PARSED_CACHE_SIZE = 100;
/** Parsed patterns by source; the trees are never changed after parsing. */
const parsed = new Map<string, Node>();

/**
 * A random string matching `pattern`. Throws an `Error` when the pattern uses syntax this
 * generator does not understand.
 */
export function randomFromPattern(pattern: string): string {
  let ast = parsed.get(pattern);
  if (ast === undefined) {
    ast = new PatternParser(pattern).parse();
    if (parsed.size >= PARSED_CACHE_SIZE) parsed.delete(parsed.keys().next().value!);
    parsed.set(pattern, ast);
  }
  const out: string[] = [];
  generate(ast, out);
  return out.join("");
}

/** True when `randomFromPattern` can generate from `pattern`. */
export function isGeneratablePattern(pattern: string): boolean {
  try {
    new PatternParser(pattern).parse();
    return true;
  } catch {
    return false;
  }
}
