import type { RequestEvent } from "../request-event.ts";
import type { FieldConfig } from "../collections/collection-types.ts";

/**
 * `onFileDownloadRequest`: the request event of `GET /api/files/…` with what is about to be
 * served (PocketBase's `FileDownloadRequestEvent`). `e.collection` and `e.record` are the
 * file's; a handler may change `servedPath`/`servedName` or answer itself.
 */
export type FileDownloadRequestEvent = RequestEvent & {
  /** The file field the file belongs to. */
  fileField: FieldConfig;
  /** The storage key that will be served (the original or a thumb). */
  servedPath: string;
  /** The name sent in `Content-Disposition`. */
  servedName: string;
};

/**
 * `onFileTokenRequest`: the request event of `POST /api/files/token`; `e.record` is the
 * authenticated record and `e.token` the new file token (a handler may replace it).
 */
export type FileTokenRequestEvent = RequestEvent;
