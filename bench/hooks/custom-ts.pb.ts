/**
 * The TypeScript counterpart of upstream's "Go route" and "Go hook" (bench/hook-files.ts copies
 * this file into the bench pb_data's pb_hooks): the same route and hook as custom-js.pb.js,
 * written the way Satchel's own TypeScript extends an App. The route is added to the router in
 * an `onServe` handler and the hook is bound on the App's `onRecordUpdateRequest`; both get
 * Satchel's native RequestEvent, with none of the JS API's event and `$app` views.
 *
 * NB: `serve` has no entry point for framework code other than pb_hooks, so this is a `.pb.ts`
 * hooks file; `$app.onServe()` and `$app.onRecordUpdateRequest()` hand out the App's own hooks.
 * What it binds this way is not undone by a hooks reload (`--hooksWatch`); the bench never edits
 * the file while serving.
 */
import type { App } from "../../src/core/app.ts";
import type { RequestEvent } from "../../src/core/request-event.ts";
import type { Middleware, Router } from "../../src/http/router.ts";

// the JS API's `$app`: the App being loaded (type-only imports above are erased at load)
declare const $app: App;

const pageSize: Middleware = (e, next) => {
  e.set("total", 20);
  return next();
};

$app.onServe().bindFunc((e) => {
  // NB: typed `unknown` on the serve event; `serve` hands its Router
  (e.router as Router).add(
    "GET",
    "/ts",
    (re: RequestEvent) => {
      const records = re.app.findRecordsByFilter("posts10k", "title != ''", "-created", Number(re.get("total")));
      re.json(200, records);
    },
    pageSize,
  );
  return e.next();
});

$app.onRecordUpdateRequest("ts").bindFunc((e) => {
  if (e.record && e.record.get("title") !== "") e.record.set("title", "ts_update");
  return e.next();
});
