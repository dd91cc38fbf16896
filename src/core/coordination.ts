/**
 * The seam through which an App cooperates with other processes serving the same pb_data
 * (`serve --workers=N`). With one process there is no coordination and the App behaves as
 * PocketBase does; the cluster layer (src/cluster) plugs an implementation in.
 */
export interface ProcessCoordination {
  /**
   * Waits (asynchronously, never in SQLite's busy handler) until this process may write, and
   * resolves with the function that gives the turn back. Requests that may write hold a turn
   * from after their body is read until their response is ready.
   */
  acquireWrite(): Promise<() => void>;
  /** Called after this process committed a change to collections or settings. */
  cachesChanged(): void;
  /** Reloads the collections and settings caches when another process changed them. */
  syncCaches(): void;
}
