// CPU time of a process tree, read from the OS: per-thread schedstat (ns) and /proc/<pid>/stat utime + stime (ticks).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  cpuMs: number;
}

function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name is in parentheses and may itself contain spaces or parentheses.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // After ")": state(3) ppid(4) ... utime(14) stime(15), numbered from 1 as in proc(5).
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  return {
    pid,
    ppid: Number(fields[4 - 3]),
    comm: text.slice(open + 1, close),
    cpuMs: ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND,
  };
}

function allProcesses(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** The processes under `rootPid`, itself included. */
export function processTree(rootPid: number): ProcStat[] {
  const all = allProcesses();
  const tree = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (!tree.has(p.pid) && tree.has(p.ppid)) {
        tree.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => tree.has(p.pid));
}

/**
 * On-CPU time of each live thread of a process in milliseconds (/proc/<pid>/task/<tid>/schedstat, in ns),
 * exact where utime + stime come in clock ticks (10 ms). Threads that exited are not counted, so each
 * measurement also keeps the tick-based figure as a cross-check.
 */
function threadRuntimes(pid: number): Map<string, number> | null {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  const threads = new Map<string, number>();
  for (const tid of tasks) {
    try {
      threads.set(`${pid}/${tid}`, Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
    } catch {
      // the thread exited meanwhile
    }
  }
  return threads;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

export interface TreeCpu {
  /** The workerd processes (the runtime that runs the Worker and, under wrangler dev, its proxy), from schedstat. */
  runtimeMs: number;
  /** The same from /proc/<pid>/stat utime + stime (10 ms ticks). */
  runtimeStatMs: number;
  /** Each workerd thread ("pid/tid"): the isolate's own thread is the one that runs JavaScript. */
  threads: Map<string, number>;
  /** Everything else under the root: wrangler's Node process (logging, proxy control), esbuild. */
  otherMs: number;
}

/** Snapshot of CPU used so far by a process tree, split into workerd and the rest. */
export function treeCpu(rootPid: number): TreeCpu {
  let runtimeMs = 0;
  let runtimeStatMs = 0;
  let otherMs = 0;
  const threads = new Map<string, number>();
  for (const p of processTree(rootPid)) {
    if (p.comm.startsWith('workerd')) {
      const own = threadRuntimes(p.pid);
      runtimeMs += own ? sum(own.values()) : p.cpuMs;
      runtimeStatMs += p.cpuMs;
      for (const [k, v] of own ?? []) threads.set(k, v);
    } else {
      otherMs += p.cpuMs;
    }
  }
  return { runtimeMs, runtimeStatMs, threads, otherMs };
}

export interface CpuDelta {
  runtimeMs: number;
  runtimeStatMs: number;
  /**
   * The busiest workerd thread: for work inside one isolate (a replay, a floor) that is the isolate's
   * thread, the CPU the platform counts; V8's helper threads (GC, compilation) and the proxy are left out.
   */
  isolateThreadMs: number;
  otherMs: number;
}

export function cpuDelta(before: TreeCpu, after: TreeCpu): CpuDelta {
  let isolateThreadMs = 0;
  for (const [thread, ms] of after.threads) isolateThreadMs = Math.max(isolateThreadMs, ms - (before.threads.get(thread) ?? 0));
  return {
    runtimeMs: after.runtimeMs - before.runtimeMs,
    runtimeStatMs: after.runtimeStatMs - before.runtimeStatMs,
    isolateThreadMs,
    otherMs: after.otherMs - before.otherMs,
  };
}

/** CPU of one process (no children), for a workerd started directly: schedstat, else utime + stime. */
export function processCpuMs(pid: number): number {
  const threads = threadRuntimes(pid);
  return threads ? sum(threads.values()) : (readStat(pid)?.cpuMs ?? Number.NaN);
}

export const CLOCK_TICK_MS = 1000 / CLOCK_TICKS_PER_SECOND;

/** CPU the whole machine has spent busy so far (all cores), from /proc/stat: to see who else was running. */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  // cpu user nice system idle iowait irq softirq steal ...
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user! + nice! + system! + irq! + softirq! + (steal ?? 0)) * 1000) / CLOCK_TICKS_PER_SECOND;
}
