/**
 * String inflections PocketBase applies to names. Imports nothing of ours.
 *
 * PocketBase parity: "word" characters are ASCII only (Go's `\w`), so non-ASCII letters
 * count as separators in {@link snakecase} and are removed by {@link sanitizeIdentifier}.
 */

/**
 * snake_case as PocketBase uses it for uploaded file names: splits on every run of
 * characters other than `[A-Za-z0-9]` (underscore included), puts `_` before an upper-case
 * letter that follows a non-upper-case one (`fooBar` → `foo_bar`, `HTTPServer` → `httpserver`),
 * joins the words with `_` and lower-cases. Leading/trailing separators vanish.
 */
export function snakecase(s: string): string {
  const words: string[] = [];
  for (const word of s.split(/[^A-Za-z0-9]+/)) {
    if (word === "") continue;
    let out = "";
    for (let i = 0; i < word.length; i++) {
      const c = word[i]!;
      if (i > 0 && isUpper(c) && !isUpper(word[i - 1]!)) out += "_";
      out += c;
    }
    words.push(out);
  }
  return words.join("_").toLowerCase();
}

function isUpper(c: string): boolean {
  return c >= "A" && c <= "Z";
}

/**
 * Removes every character outside `[A-Za-z0-9_.*\-@#]` (PocketBase's `Columnify`), e.g. to make
 * a user-supplied name safe to splice into a quoted SQL identifier or column expression.
 */
export function sanitizeIdentifier(s: string): string {
  return s.replace(/[^A-Za-z0-9_.*\-@#]+/g, "");
}
