import type { App } from "../core/app.ts";
import type { ProcessCoordination } from "../core/coordination.ts";
import { revalidateClientsAuth } from "../core/realtime/register-realtime.ts";
import { CacheGeneration } from "./cache-generation.ts";
import { ReplicatedStore, type StoreChange } from "./replicated-store.ts";
import type { WriteTurns } from "./write-turns.ts";

/**
 * What the primary and the workers of `serve --workers=N` have in common: their App's write
 * turns, the shared cache generation and the replicated `$app.store()`. Constructing one plugs
 * it into the App.
 */
export abstract class ClusterMember implements ProcessCoordination {
  /** The process's `$app.store()`, copied to and from the other processes. */
  protected readonly store = new ReplicatedStore();
  private readonly generation: CacheGeneration;

  /** Installs the coordination in `app`; `reportStore` sends this process's store changes on. */
  protected constructor(
    protected readonly app: App,
    protected readonly turns: WriteTurns,
    generationFile: string,
    reportStore: (change: StoreChange) => void,
  ) {
    this.generation = new CacheGeneration(generationFile);
    for (const [key, value] of app.storeMap) this.store.apply({ op: "set", key, value });
    this.store.connect(reportStore);
    app.storeMap = this.store;
    app.coordination = this;
  }

  /** ProcessCoordination: waits for this process's write turn. */
  acquireWrite(): Promise<() => void> {
    return this.turns.acquire();
  }

  /** ProcessCoordination: tells the other processes to reload their caches. */
  cachesChanged(): void {
    this.generation.bump();
  }

  /** ProcessCoordination: reloads collections and settings when another process changed them. */
  syncCaches(): void {
    if (!this.generation.changed()) return;
    this.app.reloadCollections();
    this.app.reloadSettings();
    revalidateClientsAuth(this.app);
  }
}
