// PocketBase-style JS for the suite's custom-code scenarios (bench/hook-files.ts copies this file
// into the bench pb_data's pb_hooks): a route behind a middleware that sets the page size, which
// returns the 20 newest posts10k records (a sort over 10k rows without an index), and an
// update-request hook that rewrites the title on the collection temporarily renamed "js".

function pageSize(e) {
  e.set("total", 20);
  return e.next();
}

routerAdd(
  "GET",
  "/js",
  (e) => {
    const records = $app.findRecordsByFilter("posts10k", "title != ''", "-created", e.get("total"));
    return e.json(200, records);
  },
  pageSize,
);

onRecordUpdateRequest((e) => {
  if (e.record.get("title") !== "") e.record.set("title", "js_update");
  return e.next();
}, "js");
