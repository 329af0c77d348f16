// The replayed runtime: goroutines, procs, threads and the GC, built from the normalized
// event stream one generation at a time (see replay.ts), queried by analyses and views.
import type { StackTable, StringTable } from '../trace/events';
import type { Counter, SpanTable } from './spans';

export interface GoroutineInfo {
  id: number;
  /** When the `go` statement ran (NaN: it existed when the trace began). */
  createdAt: number;
  /** The goroutine that ran the `go` statement (NONE when unknown). */
  creator: number;
  /** Stack of the `go` statement: its innermost frame is the statement's line. */
  createStack: number;
  /** The new goroutine's start function. */
  startStack: number;
  /** When it ended (NaN while it exists). */
  endedAt: number;
  /** Its state now (at the end of the replay, after finish()). */
  state: number;
  since: number;
  /** Why it entered the current state (string id), and where (stack id). */
  reason: number;
  stack: number;
  /** The goroutine whose event put it in the current state, when not itself (an unblock: the waker); NONE otherwise. */
  by: number;
  /** Labels set on it (string ids). */
  labels: number[];
  /** Time spent in mark assists. */
  assistNs: number;
  /** The proc and thread it runs on or is in a syscall on (NONE otherwise). */
  p: number;
  m: number;
}

export interface ProcInfo {
  id: number;
  state: number;
  since: number;
  /** The goroutine running on it (NONE if none). */
  g: number;
}

export interface TaskInfo {
  id: number;
  parent: number;
  name: string;
  start: number;
  end: number;
}

export interface RegionInfo {
  task: number;
  name: string;
  g: number;
  start: number;
  end: number;
  stack: number;
}

export interface LogInfo {
  task: number;
  time: number;
  g: number;
  category: string;
  message: string;
}

export interface RuntimeModel {
  strings: StringTable;
  stacks: StackTable;
  /** The last event's time (the first is 0). */
  end: number;
  /** Every goroutine seen, in order of first sight; a check of the trace (goroutineSpans false) keeps only those that still exist (see Replayer). */
  goroutines: Map<number, GoroutineInfo>;
  procs: Map<number, ProcInfo>;
  /** Goroutine spans: id = goroutine, state = GoState, p/m while running or in a syscall, g = the goroutine that put it in the state (the waker of a Runnable span). */
  gSpans: SpanTable;
  /** Proc spans: id = proc, state = ProcState, g = the goroutine it ran (Running). */
  pSpans: SpanTable;
  /** GC mark phases, one span per cycle: id = 1 for a cycle that began inside the trace, 0 for one already running. */
  gcCycles: SpanTable;
  /** Stop-the-world pauses: state = the range name's string id ("stop-the-world (reason)"). */
  stw: SpanTable;
  /** Incremental sweeps: id = proc. */
  sweeps: SpanTable;
  /** Mark assists: id = goroutine. */
  assists: SpanTable;
  heapInUse: Counter;
  heapGoal: Counter;
  gomaxprocs: Counter;
  tasks: Map<number, TaskInfo>;
  regions: RegionInfo[];
  logs: LogInfo[];
  /** CPU profile samples: time, goroutine and stack id, as columns. */
  cpuSamples: { time: number[]; g: number[]; stack: number[] };
}
