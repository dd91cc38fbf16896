/**
 * What Linux's /proc tells about the server under test: a process's RSS and CPU time, the tree of
 * processes below it (`serve --workers=N`: a primary and its workers), the sums over that tree,
 * and which processes of it listen on a TCP port. Every reader answers 0 or [] when /proc cannot
 * tell (the process is gone, or this is not Linux).
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** VmRSS of a process in KiB, 0 when unreadable. */
export function readRssKb(pid: number): number {
  return readStatusKb(pid, "VmRSS");
}

/**
 * RssAnon of a process in KiB (its own heap and stacks, without the mapped files: the binary
 * and the SQLite database read through mmap), 0 when unreadable.
 */
export function readAnonKb(pid: number): number {
  return readStatusKb(pid, "RssAnon");
}

function readStatusKb(pid: number, field: string): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The fields of /proc/<pid>/stat after the command name (field 3, the state, is index 0). */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

// NB: /proc/<pid>/stat counts CPU time in clock ticks, 100 per second on Linux
const TICK_MS = 10;

/** utime + stime of a process in ms, 0 when unreadable. */
export function readCpuMs(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) * TICK_MS : 0;
}

/**
 * utime + stime + cutime + cstime in ms: the process's own CPU time plus that of the children it
 * has waited for. Summed over a tree, this stays monotonic when a worker exits: its time moves
 * into its parent's cutime/cstime once the parent reaps it.
 */
function readCpuWithReapedMs(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS : 0;
}

/**
 * The direct children of a process. NB: Linux lists them per thread
 * (`/proc/<pid>/task/<tid>/children`, the children that thread started), so every thread is read.
 */
export function childPids(pid: number): number[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const tid of tids) {
    try {
      for (const s of readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" ")) if (s.trim()) out.push(Number(s));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** A process and all its descendants, the root first (empty when the root is gone). */
export function processTree(pid: number): number[] {
  if (statFields(pid) === null) return [];
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    for (const child of childPids(out[i]!)) if (!out.includes(child)) out.push(child);
  }
  return out;
}

/**
 * RSS summed over a process tree, in KiB. NB: pages the processes share (the Bun binary, the
 * SQLite page cache of a shared file) count once per process, so N workers overstate the memory
 * actually used; it is the figure `ps` and container limits show.
 */
export function treeRssKb(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + readRssKb(p), 0);
}

/** RssAnon summed over a process tree, in KiB. */
export function treeAnonKb(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + readAnonKb(p), 0);
}

/** CPU time summed over a process tree (reaped children included), in ms. */
export function treeCpuMs(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + readCpuWithReapedMs(p), 0);
}

/** The socket inodes listening on `port` (IPv4 and IPv6, any address). */
function listeningInodes(port: number): Set<string> {
  const out = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …; st 0A = LISTEN
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && cols[3] === "0A" && cols[1]!.endsWith(`:${hexPort}`)) out.add(cols[9]!);
    }
  }
  return out;
}

/**
 * The processes among `pids` that hold a socket listening on `port`. With `reusePort` every
 * worker has its own listening socket, so this tells how many workers take connections.
 */
export function listeningPids(pids: number[], port: number): number[] {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return [];
  return pids.filter((pid) => {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      return false;
    }
    return fds.some((fd) => {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        return m !== null && inodes.has(m[1]!);
      } catch {
        return false;
      }
    });
  });
}
