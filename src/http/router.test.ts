import { describe, expect, test } from "bun:test";
import { Router, type RouteHandler } from "./router.ts";

const h = (name: string): RouteHandler => Object.assign(() => undefined, { routeName: name });
const nameOf = (m: ReturnType<Router["match"]>): string => ("notFound" in m ? `notFound:${m.methodMismatch}` : (m.handler as unknown as { routeName: string }).routeName);

describe("Router.match", () => {
  const r = new Router();
  r.add("GET", "/api/collections/{collection}/records", h("list"));
  r.add("GET", "/api/collections/{collection}/records/{id}", h("view"));
  r.add("POST", "/api/collections/{collection}/records", h("create"));
  r.add("GET", "/api/collections/users/records/me", h("static"));
  r.add("GET", "/api/files/{collection}/{record}/{path...}", h("files"));
  r.add("*", "/api/any/{x}", h("any"));

  test("static segments win over parameters; methods pick among same paths", () => {
    expect(nameOf(r.match("GET", "/api/collections/users/records/me"))).toBe("static");
    expect(nameOf(r.match("GET", "/api/collections/users/records/abc"))).toBe("view");
    expect(nameOf(r.match("GET", "/api/collections/posts/records"))).toBe("list");
    expect(nameOf(r.match("POST", "/api/collections/posts/records"))).toBe("create");
    expect(nameOf(r.match("HEAD", "/api/collections/posts/records"))).toBe("list");
    expect(nameOf(r.match("DELETE", "/api/any/1"))).toBe("any");
  });

  test("parameters are decoded; static segments are compared as sent", () => {
    const m = r.match("GET", "/api/collections/my%20posts/records/a%2Fb");
    expect("notFound" in m).toBe(false);
    if (!("notFound" in m)) expect(m.params).toEqual({ collection: "my posts", id: "a/b" });
    const bad = r.match("GET", "/api/collections/%E0%A4%A/records");
    if (!("notFound" in bad)) expect(bad.params).toEqual({ collection: "%E0%A4%A" });
    expect(nameOf(r.match("GET", "/api/collections/users/records/%6De"))).toBe("view");
    expect(nameOf(r.match("GET", "/api/%63ollections/users/records"))).toBe("notFound:false");
  });

  test("a trailing wildcard takes the rest of the path, decoded per segment", () => {
    const m = r.match("GET", "/api/files/c1/r1/thumbs/a%20b.png");
    if ("notFound" in m) throw new Error("no match");
    expect(m.params).toEqual({ collection: "c1", record: "r1", path: "thumbs/a b.png" });
    const empty = r.match("GET", "/api/files/c1/r1");
    if ("notFound" in empty) throw new Error("no match");
    expect(empty.params.path).toBe("");
    expect(nameOf(r.match("GET", "/api/files/c1"))).toBe("notFound:false");
  });

  test("wrong lengths and methods", () => {
    expect(nameOf(r.match("GET", "/api/collections/users/records/a/b"))).toBe("notFound:false");
    expect(nameOf(r.match("PUT", "/api/collections/users/records"))).toBe("notFound:true");
    expect(nameOf(r.match("GET", "/api/collections//users/records/"))).toBe("list");
  });
});
