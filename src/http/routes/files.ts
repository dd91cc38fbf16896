import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import type { FileDownloadRequestEvent, FileTokenRequestEvent } from "../../core/files/file-events.ts";
import { ApiError } from "../../core/api-error.ts";
import { appBlobStore } from "../../core/files/file-storage.ts";
import { canReadProtectedFile, findRequestedFile, newFileAccessToken, storageKeyOf } from "../../core/files/file-download.ts";
import { ensureThumb, isAllowedThumb, isThumbable, parseThumbSize } from "../../core/files/thumbs.ts";
import { realContentType, serveBlob } from "../serve-blob.ts";

/**
 * Files: `GET /api/files/{collection}/{recordId}/{filename}` (with `?thumb=`, `?download=`,
 * `?token=` for protected fields) and `POST /api/files/token`, PocketBase's `apis/file.go`.
 */
export function registerFileRoutes(router: Router, app: App): void {
  const h = app.hooks;

  router.add("POST", "/api/files/token", async (e) => {
    if (!e.auth) throw new ApiError(401, "Missing auth context.");
    const ev = e as FileTokenRequestEvent;
    const c = e.auth.collection();
    ev.record = e.auth;
    ev.token = newFileAccessToken(e.auth);
    await h.fileTokenRequest.triggerAsync(ev, (x) => x.json(200, { token: x.token }), [c.id, c.name]);
  });

  router.add("GET", "/api/files/{collection}/{recordId}/{filename}", async (e) => {
    const filename = e.params.filename ?? "";
    const file = findRequestedFile(e.app, e.params.collection ?? "", e.params.recordId ?? "", filename);
    if (!file) throw new ApiError(404);
    if (file.field.protected === true) {
      // PocketBase parity: any failure is a 404, so protected names cannot be probed
      if (!canReadProtectedFile(e.app, file.record, e.requestInfo(), e.url.searchParams.get("token") ?? "")) throw new ApiError(404);
    }
    const originalKey = storageKeyOf(e.app, file);
    if (!originalKey) throw new ApiError(404);
    const store = appBlobStore(e.app);
    let servedPath = originalKey;
    let servedName = filename;

    const thumb = e.url.searchParams.get("thumb") ?? "";
    const spec = thumb && isAllowedThumb(thumb, file.field.thumbs) ? parseThumbSize(thumb) : null;
    if (spec) {
      const info = await store.stat(originalKey);
      if (!info) throw new ApiError(404);
      if (isThumbable(await realContentType(store, originalKey, info, filename))) {
        const dir = originalKey.slice(0, originalKey.length - filename.length - 1);
        const key = `${dir}/thumbs_${filename}/${thumb}_${filename}`;
        if (await ensureThumb(store, originalKey, key, spec, filename)) {
          servedPath = key;
          servedName = `${thumb}_${filename}`;
        }
      }
    }

    // PocketBase parity: embedding uploaded files is fine (the CSP sandboxes them)
    e.responseHeaders.delete("X-Frame-Options");
    const ev = e as FileDownloadRequestEvent;
    ev.collection = file.collection;
    ev.record = file.record;
    ev.fileField = file.field;
    ev.servedPath = servedPath;
    ev.servedName = servedName;
    await h.fileDownloadRequest.triggerAsync(ev, async (x) => {
      const res = await serveBlob(store, x.servedPath, x.servedName, x.request, x.url);
      if (!res) throw new ApiError(404);
      x.response = res;
    }, [file.collection.id, file.collection.name]);
  });
}
