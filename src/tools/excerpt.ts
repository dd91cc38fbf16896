/**
 * HTML to plain-text excerpts (the `:excerpt(max, ellipsis?)` fields modifier).
 * A small forgiving tokenizer, not a full HTML parser. Imports nothing of ours.
 */

/** Elements whose whole content is dropped (metadata, scripts, media, embeds, form controls). */
const EXCLUDED = new Set([
  "head", "title", "style", "script", "noscript", "template", "iframe", "embed", "object",
  "applet", "svg", "math", "img", "picture", "video", "audio", "canvas", "map", "dialog",
  "form", "button", "textarea", "input", "select", "option", "optgroup", "datalist",
]);

/** Inline elements: no space is inserted around them. Everything else is treated as a block. */
const INLINE = new Set([
  "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em",
  "font", "i", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike",
  "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
]);

/** Elements that never have an end tag. */
const VOID = new Set([
  "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
  "source", "track", "wbr", "keygen", "frame", "basefont", "bgsound",
]);

/** Elements whose content is raw text (no tags inside) up to the matching end tag. */
const RAW_TEXT = new Set([
  "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
  "plaintext",
]);

/** Elements allowed inside an unclosed `<head>`; anything else implicitly closes it. */
const HEAD_CONTENT = new Set([
  "title", "meta", "link", "style", "script", "base", "noscript", "template",
]);

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", copy: "\u00a9",
  reg: "\u00ae", trade: "\u2122", hellip: "\u2026", mdash: "\u2014", ndash: "\u2013",
  lsquo: "\u2018", rsquo: "\u2019", sbquo: "\u201a", ldquo: "\u201c", rdquo: "\u201d",
  bdquo: "\u201e", laquo: "\u00ab", raquo: "\u00bb", bull: "\u2022", middot: "\u00b7",
  euro: "\u20ac", pound: "\u00a3", yen: "\u00a5", cent: "\u00a2", sect: "\u00a7",
  deg: "\u00b0", plusmn: "\u00b1", times: "\u00d7", divide: "\u00f7", para: "\u00b6",
  iexcl: "\u00a1", iquest: "\u00bf", shy: "\u00ad", ensp: "\u2002", emsp: "\u2003",
  thinsp: "\u2009", zwnj: "\u200c", zwj: "\u200d", larr: "\u2190", rarr: "\u2192",
  uarr: "\u2191", darr: "\u2193", hearts: "\u2665", dagger: "\u2020", permil: "\u2030",
  frac12: "\u00bd", frac14: "\u00bc", frac34: "\u00be", micro: "\u00b5", szlig: "\u00df",
  auml: "\u00e4", ouml: "\u00f6", uuml: "\u00fc", Auml: "\u00c4", Ouml: "\u00d6",
  Uuml: "\u00dc", eacute: "\u00e9", egrave: "\u00e8", aacute: "\u00e1", agrave: "\u00e0",
  iacute: "\u00ed", oacute: "\u00f3", uacute: "\u00fa", ntilde: "\u00f1", ccedil: "\u00e7",
};

/** Entities also recognised without a trailing `;` (legacy HTML). */
const LEGACY_ENTITIES = ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"];

const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,8});?|#([0-9]{1,10});?|([A-Za-z][A-Za-z0-9]{1,31});|(amp|lt|gt|quot|nbsp|copy|reg))/g;

/** Decodes HTML character references (numeric and common named ones); unknown ones stay as is. */
export function decodeHtmlEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(ENTITY, (match, hex: string | undefined, dec: string | undefined, name: string | undefined, legacy: string | undefined) => {
    if (hex !== undefined || dec !== undefined) {
      const cp = hex !== undefined ? parseInt(hex, 16) : parseInt(dec!, 10);
      if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return "\ufffd";
      return String.fromCodePoint(cp);
    }
    if (name !== undefined) return NAMED_ENTITIES[name] ?? match;
    if (legacy !== undefined && LEGACY_ENTITIES.includes(legacy)) return NAMED_ENTITIES[legacy]!;
    return match;
  });
}

const TAG_NAME = /^[A-Za-z][^\t\n\f\r />]*/;

/**
 * Extracts the visible text of an HTML fragment: tags and comments removed, the content of
 * excluded elements (head, script, style, svg, img, form controls, …) dropped, a space put
 * around block elements, entities decoded and ASCII whitespace runs collapsed to one space.
 * PocketBase parity: non-breaking spaces are not collapsed (Go's `\s` is ASCII only).
 */
export function htmlToText(html: string): string {
  const out: string[] = [];
  const excluded: string[] = []; // open excluded elements, innermost last
  const n = html.length;
  let i = 0;
  let textStart = 0;
  let lower = "";

  const flushText = (end: number): void => {
    if (end > textStart && excluded.length === 0) out.push(decodeHtmlEntities(html.slice(textStart, end)));
  };

  while (i < n) {
    const lt = html.indexOf("<", i);
    if (lt === -1) break;
    const next = html[lt + 1] ?? "";
    if (html.startsWith("<!--", lt)) {
      flushText(lt);
      const end = html.indexOf("-->", lt + 4);
      i = textStart = end === -1 ? n : end + 3;
      continue;
    }
    if (next === "!" || next === "?") {
      flushText(lt);
      const end = html.indexOf(">", lt + 2);
      i = textStart = end === -1 ? n : end + 1;
      continue;
    }
    const isEnd = next === "/";
    const nameMatch = TAG_NAME.exec(html.slice(lt + (isEnd ? 2 : 1), lt + (isEnd ? 2 : 1) + 64));
    if (!nameMatch) {
      i = lt + 1; // a literal "<"
      continue;
    }
    flushText(lt);
    const name = nameMatch[0].toLowerCase();
    const tagEnd = findTagEnd(html, lt + (isEnd ? 2 : 1) + nameMatch[0].length);
    const selfClosing = html[tagEnd - 2] === "/";
    i = textStart = tagEnd;

    if (!INLINE.has(name)) out.push(" ");
    if (isEnd) {
      const at = excluded.lastIndexOf(name);
      if (at !== -1) excluded.length = at;
      continue;
    }
    if (excluded.at(-1) === "head" && !HEAD_CONTENT.has(name)) excluded.pop();
    if (RAW_TEXT.has(name)) {
      if (lower === "") lower = html.toLowerCase();
      const close = name === "plaintext" ? -1 : indexOfEndTag(lower, name, i);
      const contentEnd = close === -1 ? n : close;
      if (!EXCLUDED.has(name) && excluded.length === 0) {
        out.push(name === "xmp" || name === "noframes" || name === "noembed"
          ? html.slice(i, contentEnd)
          : decodeHtmlEntities(html.slice(i, contentEnd)));
      }
      i = textStart = close === -1 ? n : findTagEnd(html, close + 2 + name.length);
      out.push(" ");
      continue;
    }
    if (EXCLUDED.has(name) && !VOID.has(name) && !selfClosing) excluded.push(name);
  }
  flushText(n);
  return out.join("").replace(/[\t\n\f\r ]+/g, " ").trim();
}

/** Index just past the `>` closing a tag whose attributes start at `from` (quotes respected). */
function findTagEnd(html: string, from: number): number {
  let quote = "";
  for (let j = from; j < html.length; j++) {
    const c = html[j]!;
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") {
      // Only an attribute value opens a quote (`a="…"`, `a='…'`).
      if (html[j - 1] === "=" || /=\s*$/.test(html.slice(Math.max(from, j - 8), j))) quote = c;
    } else if (c === ">") {
      return j + 1;
    }
  }
  return html.length;
}

/** Position of `</name` (followed by a tag delimiter) in lower-cased `lower` from `from`, or -1. */
function indexOfEndTag(lower: string, name: string, from: number): number {
  let at = from;
  for (;;) {
    at = lower.indexOf(`</${name}`, at);
    if (at === -1) return -1;
    const after = lower[at + 2 + name.length];
    if (after === undefined || after === ">" || after === "/" || /[\t\n\f\r ]/.test(after)) return at;
    at += 2;
  }
}

/**
 * A plain-text excerpt of `html`: {@link htmlToText}, cut to `maxLength` code points
 * (trailing space of the cut removed) and suffixed with `...` when `withEllipsis` is set
 * and the text was actually cut.
 */
export function excerpt(html: string, maxLength: number, withEllipsis = false): string {
  const text = htmlToText(html);
  const points = Array.from(text);
  if (points.length <= maxLength) return text;
  const cut = points.slice(0, Math.max(0, maxLength)).join("").trimEnd();
  return withEllipsis ? `${cut}...` : cut;
}
