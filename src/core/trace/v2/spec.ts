// The new format's event types (the byte that starts each event) and what follows them.
// Numbers and argument lists as the Go runtime writes them (go 1.22 … go 1.26).

export const enum Ev {
  None = 0,
  // Structural: batch headers and the contents of special batches.
  EventBatch = 1,
  Stacks = 2,
  Stack = 3,
  Strings = 4,
  String = 5,
  CPUSamples = 6,
  CPUSample = 7,
  Frequency = 8,
  // Procs.
  ProcsChange = 9,
  ProcStart = 10,
  ProcStop = 11,
  ProcSteal = 12,
  ProcStatus = 13,
  // Goroutines.
  GoCreate = 14,
  GoCreateSyscall = 15,
  GoStart = 16,
  GoDestroy = 17,
  GoDestroySyscall = 18,
  GoStop = 19,
  GoBlock = 20,
  GoUnblock = 21,
  GoSyscallBegin = 22,
  GoSyscallEnd = 23,
  GoSyscallEndBlocked = 24,
  GoStatus = 25,
  // STW and GC.
  STWBegin = 26,
  STWEnd = 27,
  GCActive = 28,
  GCBegin = 29,
  GCEnd = 30,
  GCSweepActive = 31,
  GCSweepBegin = 32,
  GCSweepEnd = 33,
  GCMarkAssistActive = 34,
  GCMarkAssistBegin = 35,
  GCMarkAssistEnd = 36,
  HeapAlloc = 37,
  HeapGoal = 38,
  // Annotations.
  GoLabel = 39,
  UserTaskBegin = 40,
  UserTaskEnd = 41,
  UserRegionBegin = 42,
  UserRegionEnd = 43,
  UserLog = 44,
  // go 1.23+
  GoSwitch = 45,
  GoSwitchDestroy = 46,
  GoCreateBlocked = 47,
  GoStatusStack = 48,
  ExperimentalBatch = 49,
  // go 1.25+
  Sync = 50,
  ClockSnapshot = 51,
  // go 1.26+ (a lone byte between generations)
  EndOfGeneration = 52,
  // Experimental events (GODEBUG=traceallocfree=1), 128…136.
  FirstExperimental = 128,
}

/** Arguments after the time delta, per event type; −1 for bytes that never start a timed event. */
export const ARGC = new Int8Array(256).fill(-1);
/** Event names, for messages and experimental events. */
export const EV_NAME: string[] = new Array<string>(256).fill('');

// What each argument means is in order.ts, where it is used (and FORMATS.md §2).
function def(ev: number, name: string, argc: number): void {
  EV_NAME[ev] = name;
  ARGC[ev] = argc;
}

def(Ev.ProcsChange, 'ProcsChange', 2);
def(Ev.ProcStart, 'ProcStart', 2);
def(Ev.ProcStop, 'ProcStop', 0);
def(Ev.ProcSteal, 'ProcSteal', 3);
def(Ev.ProcStatus, 'ProcStatus', 2);
def(Ev.GoCreate, 'GoCreate', 3);
def(Ev.GoCreateSyscall, 'GoCreateSyscall', 1);
def(Ev.GoStart, 'GoStart', 2);
def(Ev.GoDestroy, 'GoDestroy', 0);
def(Ev.GoDestroySyscall, 'GoDestroySyscall', 0);
def(Ev.GoStop, 'GoStop', 2);
def(Ev.GoBlock, 'GoBlock', 2);
def(Ev.GoUnblock, 'GoUnblock', 3);
def(Ev.GoSyscallBegin, 'GoSyscallBegin', 2);
def(Ev.GoSyscallEnd, 'GoSyscallEnd', 0);
def(Ev.GoSyscallEndBlocked, 'GoSyscallEndBlocked', 0);
def(Ev.GoStatus, 'GoStatus', 3);
def(Ev.STWBegin, 'STWBegin', 2);
def(Ev.STWEnd, 'STWEnd', 0);
def(Ev.GCActive, 'GCActive', 1);
def(Ev.GCBegin, 'GCBegin', 2);
def(Ev.GCEnd, 'GCEnd', 1);
def(Ev.GCSweepActive, 'GCSweepActive', 1);
def(Ev.GCSweepBegin, 'GCSweepBegin', 1);
def(Ev.GCSweepEnd, 'GCSweepEnd', 2);
def(Ev.GCMarkAssistActive, 'GCMarkAssistActive', 1);
def(Ev.GCMarkAssistBegin, 'GCMarkAssistBegin', 1);
def(Ev.GCMarkAssistEnd, 'GCMarkAssistEnd', 0);
def(Ev.HeapAlloc, 'HeapAlloc', 1);
def(Ev.HeapGoal, 'HeapGoal', 1);
def(Ev.GoLabel, 'GoLabel', 1);
def(Ev.UserTaskBegin, 'UserTaskBegin', 4);
def(Ev.UserTaskEnd, 'UserTaskEnd', 2);
def(Ev.UserRegionBegin, 'UserRegionBegin', 3);
def(Ev.UserRegionEnd, 'UserRegionEnd', 3);
def(Ev.UserLog, 'UserLog', 4);
def(Ev.GoSwitch, 'GoSwitch', 2);
def(Ev.GoSwitchDestroy, 'GoSwitchDestroy', 2);
def(Ev.GoCreateBlocked, 'GoCreateBlocked', 3);
def(Ev.GoStatusStack, 'GoStatusStack', 4);
// A clock snapshot belongs in a sync batch; the reference still decodes one found in an
// ordinary batch (and then fails to order it), so it counts as timed here too.
def(Ev.ClockSnapshot, 'ClockSnapshot', 3);
def(128, 'Span', 3);
def(129, 'SpanAlloc', 3);
def(130, 'SpanFree', 1);
def(131, 'HeapObject', 2);
def(132, 'HeapObjectAlloc', 2);
def(133, 'HeapObjectFree', 1);
def(134, 'GoroutineStack', 2);
def(135, 'GoroutineStackAlloc', 2);
def(136, 'GoroutineStackFree', 1);
EV_NAME[Ev.EventBatch] = 'EventBatch';
EV_NAME[Ev.Stacks] = 'Stacks';
EV_NAME[Ev.Stack] = 'Stack';
EV_NAME[Ev.Strings] = 'Strings';
EV_NAME[Ev.String] = 'String';
EV_NAME[Ev.CPUSamples] = 'CPUSamples';
EV_NAME[Ev.CPUSample] = 'CPUSample';
EV_NAME[Ev.Frequency] = 'Frequency';
EV_NAME[Ev.ExperimentalBatch] = 'ExperimentalBatch';
EV_NAME[Ev.Sync] = 'Sync';
EV_NAME[Ev.EndOfGeneration] = 'EndOfGeneration';

export function evName(typ: number): string {
  return EV_NAME[typ] || `event type ${typ}`;
}

/** Goroutine status numbers on the wire. */
export const enum GoStatus {
  Bad = 0,
  Runnable = 1,
  Running = 2,
  Syscall = 3,
  Waiting = 4,
}

/** Proc status numbers on the wire. SyscallAbandoned: first seen being stolen, its syscall unknown. */
export const enum ProcStatus {
  Bad = 0,
  Running = 1,
  Idle = 2,
  Syscall = 3,
  SyscallAbandoned = 4,
}

/** Limits the runtime guarantees; larger values mean corruption. */
export const MAX_BATCH_SIZE = 64 << 10;
export const MAX_FRAMES_PER_STACK = 128;
export const MAX_STRING_SIZE = 1 << 10;
