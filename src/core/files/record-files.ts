import type { App } from "../app.ts";
import type { Record } from "../records/record.ts";
import type { RequestEvent, UploadedFile } from "../request-event.ts";
import type { FieldConfig } from "../collections/collection-types.ts";
import type { BlobSource, BlobStore } from "../../store/blob/blob-store.ts";
import { kindOf } from "../records/record.ts";
import { ValidationError, type ErrorData } from "../api-error.ts";
import { normalizeList } from "../fields/select.ts";
import { UploadFile, isUploadFile } from "./upload-file.ts";
import { fileItems, fileNames, pendingFiles, validateFileValue } from "./file-value.ts";
import { appBlobStore, recordDir, recordFileKey } from "./file-storage.ts";

/** What the pipeline remembers about one record between staging and the end of its save. */
interface FileState {
  /** Pending files already written to storage, with their keys. */
  stored: Map<UploadFile, string>;
  /** Pending files a model hook added that the store could not write synchronously (S3): written after commit. */
  deferred: { file: UploadFile; key: string }[];
  /** Stored names the save drops: deleted after a successful save. */
  removed: string[];
}

const states = new WeakMap<Record, FileState>();

function stateOf(record: Record): FileState {
  let s = states.get(record);
  if (!s) {
    s = { stored: new Map(), deferred: [], removed: [] };
    states.set(record, s);
  }
  return s;
}

function sourceOf(file: UploadFile): BlobSource {
  const src = file.source;
  if (src.kind === "path") return { path: src.path, movable: src.movable };
  if (src.kind === "bytes") return { bytes: src.bytes };
  return { blob: src.blob };
}

function fileFields(record: Record): FieldConfig[] {
  return record.collection().fields.filter((f) => f.type === "file");
}

const FILE_KEY = /^(\+)?(\w+)(\+)?$/;

/**
 * Puts a request's uploaded files on the record, PocketBase's way: parts under `field` replace
 * the value (keeping plain filenames sent under the same key, before the new files), `field+`
 * appends, `+field` prepends; only file fields take files, and hidden ones only from superusers.
 */
export async function applyRequestFiles(e: RequestEvent, record: Record): Promise<void> {
  const c = record.collection();
  const superuser = e.hasSuperuserAuth();
  const keys = Object.keys(e.files).sort((a, b) => a.length - b.length);
  for (const key of keys) {
    const m = FILE_KEY.exec(key);
    const f = m ? c.getFieldByName(m[2]!) : undefined;
    if (!m || !f || f.type !== "file" || (f.hidden && !superuser)) continue;
    const uploads = await Promise.all((e.files[key] ?? []).map((u: UploadedFile) => UploadFile.fromBlob(u.file, u.name, u.path)));
    if (uploads.length === 0) continue;
    if (m[1]) record.set(`+${f.name}`, uploads);
    else if (m[3]) record.set(`${f.name}+`, uploads);
    else if (f.name in e.body) record.set(f.name, [...fileItems(record.getRaw(f.name)), ...uploads]);
    else record.set(f.name, uploads);
  }
}

/** Gives a new record its id now (uploads need it for their storage folder). */
function ensureRecordId(record: Record): void {
  if (!record.isNew() || record.id !== "") return;
  const f = record.collection().getFieldByName("id");
  const kind = f ? kindOf(f) : null;
  if (f && kind?.prepare) record.setRaw("id", kind.prepare(f, "", { isNew: true, now: "" }));
}

/**
 * The record-file step of a create/update request, called right before the synchronous save:
 * applies the request's files to the record, checks the new files (count, size, MIME type from
 * content) and streams them to storage under the record's folder. The record keeps the new
 * files as `UploadFile` values, so model hooks see them; the save writes their names. If the
 * save fails the files are removed again, and after a successful save the files it dropped are
 * deleted (see {@link registerFileHooks}). Throws `ValidationError` for invalid files.
 */
export async function stageRecordFiles(e: RequestEvent, record: Record): Promise<void> {
  await applyRequestFiles(e, record);
  const fields = fileFields(record);
  const withPending = fields.filter((f) => pendingFiles(record.getRaw(f.name)).length > 0);
  if (withPending.length === 0) return;
  const original = record.isNew() ? null : record.original();
  const errors: ErrorData = {};
  for (const f of withPending) {
    const err = validateFileValue(f, record.getRaw(f.name), original?.getRaw(f.name));
    if (err) errors[f.name] = err;
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  ensureRecordId(record);
  const c = record.collection();
  const store = appBlobStore(e.app);
  const state = stateOf(record);
  const todo = withPending.flatMap((f) => pendingFiles(record.getRaw(f.name))).filter((p) => !state.stored.has(p));
  const results = await Promise.allSettled(todo.map(async (file) => {
    const key = recordFileKey(c.id, record.id, file.name);
    await store.put(key, sourceOf(file), { contentType: file.mime });
    state.stored.set(file, key);
  }));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await discardStored(store, state);
    states.delete(record);
    throw failed.reason;
  }
}

async function discardStored(store: BlobStore, state: FileState): Promise<void> {
  await Promise.all([...state.stored.values()].map((key) => store.delete(key).catch(() => undefined)));
  state.stored.clear();
}

function logError(what: string): (err: unknown) => void {
  return (err) => console.error(`files: ${what} failed:`, err);
}

/** Deletes a stored file and its thumbs. */
function deleteStoredFile(store: BlobStore, collectionId: string, recordId: string, name: string): void {
  const key = recordFileKey(collectionId, recordId, name);
  const thumbs = `${recordDir(collectionId, recordId)}/thumbs_${name}/`;
  if (store.sync) {
    try {
      store.sync.delete(key);
      store.sync.deletePrefix(thumbs);
    } catch (err) {
      logError(`deleting ${key}`)(err);
    }
    return;
  }
  store.delete(key).catch(logError(`deleting ${key}`));
  store.deletePrefix(thumbs).catch(logError(`deleting ${thumbs}`));
}

/**
 * The built-in model hooks of file fields (registered once per App):
 * - before the INSERT/UPDATE (innermost `…Execute` link): pending files not yet stored are
 *   written (synchronously on local disk; after the commit on S3), the value becomes plain names,
 *   and the names the save drops are noted;
 * - after a successful save: the dropped files and their thumbs are deleted;
 * - after a failed save: the files staged for it are deleted;
 * - after a record is deleted: its whole storage folder is deleted; after a collection is
 *   deleted: the collection's folder.
 */
export function registerFileHooks(app: App): void {
  const execute = (e: { app: App; record: Record; next(): unknown }): unknown => {
    const record = e.record;
    const fields = fileFields(record);
    if (fields.length === 0 || record.collection().isView()) return e.next();
    const c = record.collection();
    const state = stateOf(record);
    const store = appBlobStore(e.app);
    const original = record.isNew() ? null : record.original();
    for (const f of fields) {
      const items = fileItems(record.getRaw(f.name));
      for (const file of items.filter(isUploadFile)) {
        const key = recordFileKey(c.id, record.id, file.name);
        const staged = state.stored.get(file);
        if (staged !== undefined) {
          // a hook changed the id (or the file's name) after the file was staged
          if (staged !== key) {
            if (store.sync) store.sync.move(staged, key);
            else console.error(`files: ${staged} was staged before its record's id or name changed; it stays there`);
            if (store.sync) state.stored.set(file, key);
          }
          continue;
        }
        if (store.sync && file.source.kind !== "blob") {
          store.sync.put(key, sourceOf(file), { contentType: file.mime });
          state.stored.set(file, key);
        } else {
          state.deferred.push({ file, key });
        }
      }
      if (original) {
        const kept = new Set(fileNames(items));
        for (const name of fileNames(original.getRaw(f.name))) if (!kept.has(name)) state.removed.push(name);
      }
      record.setRaw(f.name, normalizeList(f, fileNames(items)));
    }
    return e.next();
  };
  app.onRecordCreateExecute().bind({ id: "__satchelFilesCreate__", priority: 1e9, func: execute });
  app.onRecordUpdateExecute().bind({ id: "__satchelFilesUpdate__", priority: 1e9, func: execute });

  const success = (e: { app: App; record: Record; next(): unknown }): unknown => {
    const state = states.get(e.record);
    states.delete(e.record);
    if (state) {
      const c = e.record.collection();
      const store = appBlobStore(e.app);
      for (const name of state.removed) deleteStoredFile(store, c.id, e.record.id, name);
      for (const d of state.deferred) store.put(d.key, sourceOf(d.file), { contentType: d.file.mime }).catch(logError(`writing ${d.key}`));
    }
    return e.next();
  };
  app.onRecordAfterCreateSuccess().bind({ id: "__satchelFilesCreateSuccess__", priority: -1e9, func: success });
  app.onRecordAfterUpdateSuccess().bind({ id: "__satchelFilesUpdateSuccess__", priority: -1e9, func: success });

  const failure = (e: { app: App; record: Record; next(): unknown }): unknown => {
    const state = states.get(e.record);
    states.delete(e.record);
    if (state && state.stored.size > 0) {
      const store = appBlobStore(e.app);
      for (const key of state.stored.values()) {
        if (store.sync) {
          try {
            store.sync.delete(key);
          } catch (err) {
            logError(`deleting ${key}`)(err);
          }
        } else {
          store.delete(key).catch(logError(`deleting ${key}`));
        }
      }
    }
    return e.next();
  };
  app.onRecordAfterCreateError().bind({ id: "__satchelFilesCreateError__", priority: -1e9, func: failure });
  app.onRecordAfterUpdateError().bind({ id: "__satchelFilesUpdateError__", priority: -1e9, func: failure });

  app.onRecordAfterDeleteSuccess().bind({
    id: "__satchelFilesDelete__",
    priority: -1e9,
    func: (e) => {
      const c = e.record.collection();
      if (!c.isView() && fileFields(e.record).length > 0) deletePrefix(appBlobStore(e.app), `${recordDir(c.id, e.record.id)}/`);
      return e.next();
    },
  });
  app.onCollectionAfterDeleteSuccess().bind({
    id: "__satchelFilesCollectionDelete__",
    priority: -1e9,
    func: (e) => {
      if (!e.collection.isView()) deletePrefix(appBlobStore(e.app), `${e.collection.id}/`);
      return e.next();
    },
  });
}

function deletePrefix(store: BlobStore, prefix: string): void {
  if (store.sync) {
    try {
      store.sync.deletePrefix(prefix);
    } catch (err) {
      logError(`deleting ${prefix}`)(err);
    }
    return;
  }
  store.deletePrefix(prefix).then((failed) => {
    if (failed.length > 0) console.error(`files: could not delete ${failed.length} object(s) under ${prefix}`);
  }, logError(`deleting ${prefix}`));
}
