import { describe, expect, test } from "bun:test";
import { decodeHtmlEntities, excerpt, htmlToText } from "./excerpt.ts";

describe("htmlToText", () => {
  test("plain text passes through with whitespace collapsed", () => {
    expect(htmlToText("  hello \n\t world  ")).toBe("hello world");
    expect(htmlToText("")).toBe("");
    expect(htmlToText("a < b and c > d")).toBe("a < b and c > d");
  });

  test("block elements are separated by a space, inline ones are not", () => {
    expect(htmlToText("<p>Hello</p><p>World</p>")).toBe("Hello World");
    expect(htmlToText("<div>a</div>b<h1>c</h1>")).toBe("a b c");
    expect(htmlToText("Hel<b>lo</b> <i>w</i>or<span>ld</span>")).toBe("Hello world");
    expect(htmlToText("<a href='x'>li</a>nk")).toBe("link");
    expect(htmlToText("one<br>two<br/>three<hr>four")).toBe("one two three four");
    expect(htmlToText("<ul><li>a</li><li>b</li></ul>")).toBe("a b");
  });

  test("excluded elements lose their content", () => {
    const doc =
      "<html><head><title>T</title><style>p{color:red}</style></head>" +
      "<body><h1>Title</h1><p>Body <script>alert('<p>x</p>')</script>text</p></body></html>";
    expect(htmlToText(doc)).toBe("Title Body text");
    expect(htmlToText("<svg><text>no</text></svg>yes")).toBe("yes");
    expect(htmlToText("<img src='a.png' alt='no'>after")).toBe("after");
    expect(htmlToText("<form><label>L</label><input value=x><button>B</button></form>end")).toBe("end");
    expect(htmlToText("x<select><option>1</option></select>y")).toBe("x y");
    expect(htmlToText("<TEXTAREA>hidden <b>x</b></textarea>shown")).toBe("shown");
    expect(htmlToText("<iframe src=x>fallback</iframe>ok")).toBe("ok");
    expect(htmlToText("<template><p>t</p></template>ok")).toBe("ok");
    expect(htmlToText("<STYLE>a{}</STYLE >ok")).toBe("ok");
    // unterminated excluded content swallows the rest, like a browser
    expect(htmlToText("a<script>never closed")).toBe("a");
  });

  test("an unclosed head ends at the first body element", () => {
    expect(htmlToText("<head><meta charset=utf8><p>visible")).toBe("visible");
  });

  test("comments, doctypes and attribute quoting", () => {
    expect(htmlToText("<!-- c -->a<!DOCTYPE html><?xml x?>b")).toBe("ab");
    expect(htmlToText('<div class="a>b" data-x=\'>\'>x</div>')).toBe("x");
    expect(htmlToText("<!-- never closed")).toBe("");
  });

  test("entities are decoded", () => {
    expect(htmlToText("&lt;b&gt; &amp; &quot;q&quot; &#39;s&#39; &#x1F600;")).toBe("<b> & \"q\" 's' \u{1F600}");
    expect(decodeHtmlEntities("&copy &unknown; &#0; &#xD800;")).toBe("\u00a9 &unknown; \ufffd \ufffd");
    expect(htmlToText("a&nbsp;&nbsp;b")).toBe("a\u00a0\u00a0b");
  });
});

describe("excerpt", () => {
  test("no cut, no ellipsis", () => {
    expect(excerpt("<p>abc</p>", 3, true)).toBe("abc");
    expect(excerpt("abc", 10)).toBe("abc");
  });

  test("cuts to code points and adds the ellipsis only when cut", () => {
    expect(excerpt("<p>Hello world, this is long</p>", 5)).toBe("Hello");
    expect(excerpt("<p>Hello world, this is long</p>", 5, true)).toBe("Hello...");
    expect(excerpt("<p>Hello world</p>", 6, true)).toBe("Hello...");
    expect(excerpt("\u{1F600}\u{1F600}\u{1F600}", 2, true)).toBe("\u{1F600}\u{1F600}...");
    expect(excerpt("žluťoučký kůň", 4)).toBe("žluť");
  });

  test("the cut happens after stripping", () => {
    expect(excerpt("<p><b>Lorem</b> <script>x</script>ipsum dolor</p>", 11, true)).toBe("Lorem ipsum...");
  });
});
