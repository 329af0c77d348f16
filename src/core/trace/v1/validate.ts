// The checks the reference runs over the ordered old-format stream before converting it:
// a P runs one goroutine at a time, a goroutine is in the state an event needs, GC and
// STW phases nest properly, regions close in order. Along the way some events move to
// the reference's fake Ps (timer, netpoll, syscall, GC), which their context shows.
import { corrupt, type RawTrace } from './raw';
import { Ev, EV_NAME, GC_P, NETPOLL_P, SYSCALL_P, TIMER_P } from './spec';

const DEAD = 0;
const RUNNABLE = 1;
const RUNNING = 2;
const WAITING = 3;

interface GDesc {
  state: number;
  /** Type of the event that last parked or readied it (−1: none): tells netpoll unblocks apart. */
  lastEv: number;
  markAssist: boolean;
}

interface PDesc {
  running: boolean;
  g: number;
  sweeping: boolean;
}

export function validateAndPlace(t: RawTrace, order: Int32Array): void {
  const ev = t.events;
  const type = ev.type, pcol = ev.p, gcol = ev.g, a0 = ev.a0, a1 = ev.a1, a2 = ev.a2, stk = ev.stk, ts = ev.ts;

  // Unblocks by the timer goroutine and all syscall exits go to fake Ps first.
  for (let k = 0; k < order.length; k++) {
    const e = order[k];
    if (type[e] === Ev.GoUnblock && t.timerGoroutines.has(gcol[e])) pcol[e] = TIMER_P;
    if (type[e] === Ev.GoSysExit) pcol[e] = SYSCALL_P;
  }

  const gs = new Map<number, GDesc>([[0, { state: RUNNING, lastEv: -1, markAssist: false }]]);
  const ps = new Map<number, PDesc>();
  const tasks = new Set<number>();
  const regions = new Map<number, number[]>(); // goroutine → open (task, name) pairs, flattened
  let inGC = false;
  let inSTW = false;

  const gOf = (id: number): GDesc => gs.get(id) ?? { state: DEAD, lastEv: -1, markAssist: false };
  const pOf = (id: number): PDesc => {
    let p = ps.get(id);
    if (!p) { p = { running: false, g: 0, sweeping: false }; ps.set(id, p); }
    return p;
  };

  for (let k = 0; k < order.length; k++) {
    const e = order[k];
    const typ = type[e];
    const G = gcol[e];
    const P = pcol[e];
    const fail = (what: string) => corrupt(`${what} (${EV_NAME[typ]} at ${ts[e]} ns)`, ev.off[e]);
    const checkRunning = (p: PDesc, g: GDesc, allowG0: boolean) => {
      if (g.state !== RUNNING) throw fail(`goroutine ${G} is not running`);
      if (p.g !== G) throw fail(`proc ${P} is not running goroutine ${G}`);
      if (!allowG0 && G === 0) throw fail('goroutine 0 did this');
    };

    switch (typ) {
      case Ev.ProcStart: {
        const p = pOf(P);
        if (p.running) throw fail(`proc ${P} is already running`);
        p.running = true;
        break;
      }
      case Ev.ProcStop: {
        const p = pOf(P);
        if (!p.running) throw fail(`proc ${P} is not running`);
        if (p.g !== 0) throw fail(`proc ${P} still runs goroutine ${p.g}`);
        p.running = false;
        break;
      }
      case Ev.GCStart:
        if (inGC) throw fail('GC starts before the previous one ended');
        inGC = true;
        pcol[e] = GC_P;
        break;
      case Ev.GCDone:
        if (!inGC) throw fail('GC ends without starting');
        inGC = false;
        break;
      case Ev.STWStart:
        if (inSTW) throw fail('stop-the-world starts before the previous one ended');
        inSTW = true;
        break;
      case Ev.STWDone:
        if (!inSTW) throw fail('stop-the-world ends without starting');
        inSTW = false;
        break;
      case Ev.GCSweepStart: {
        const p = pOf(P);
        if (p.sweeping) throw fail('sweep starts before the previous one ended');
        p.sweeping = true;
        break;
      }
      case Ev.GCSweepDone: {
        const p = pOf(P);
        if (!p.sweeping) throw fail('sweep ends without starting');
        p.sweeping = false;
        break;
      }
      case Ev.GCMarkAssistStart: {
        const g = gOf(G);
        if (g.markAssist) throw fail('mark assist starts before the previous one ended');
        g.markAssist = true;
        gs.set(G, g);
        break;
      }
      case Ev.GCMarkAssistDone: {
        // A goroutine may be mid-assist when tracing starts: no error without a start.
        const g = gOf(G);
        g.markAssist = false;
        gs.set(G, g);
        break;
      }
      case Ev.GoWaiting: case Ev.GoInSyscall: {
        const g = gOf(G);
        if (g.state !== RUNNABLE) throw fail(`goroutine ${G} is not runnable`);
        g.state = WAITING;
        g.lastEv = typ;
        gs.set(G, g);
        break;
      }
      case Ev.GoCreate: {
        checkRunning(pOf(P), gOf(G), true);
        if (gs.has(a0[e])) throw fail(`goroutine ${a0[e]} already exists`);
        gs.set(a0[e], { state: RUNNABLE, lastEv: typ, markAssist: false });
        break;
      }
      case Ev.GoStart: case Ev.GoStartLabel: {
        const g = gOf(G);
        const p = pOf(P);
        if (g.state !== RUNNABLE) throw fail(`goroutine ${G} is not runnable`);
        if (p.g !== 0) throw fail(`proc ${P} already runs goroutine ${p.g}`);
        g.state = RUNNING;
        g.lastEv = -1;
        p.g = G;
        gs.set(G, g);
        break;
      }
      case Ev.GoEnd: case Ev.GoStop: {
        const g = gOf(G);
        const p = pOf(P);
        checkRunning(p, g, false);
        g.state = DEAD;
        p.g = 0;
        if (typ === Ev.GoEnd) regions.delete(G);
        gs.set(G, g);
        break;
      }
      case Ev.GoSched: case Ev.GoPreempt: {
        const g = gOf(G);
        const p = pOf(P);
        checkRunning(p, g, false);
        g.state = RUNNABLE;
        g.lastEv = typ;
        p.g = 0;
        gs.set(G, g);
        break;
      }
      case Ev.GoUnblock: {
        const g = gOf(G);
        const p = pOf(P);
        if (g.state !== RUNNING) throw fail(`goroutine ${G} is not running`);
        if (P !== TIMER_P && p.g !== G) throw fail(`proc ${P} is not running goroutine ${G}`);
        const g1 = gOf(a0[e]);
        if (g1.state !== WAITING) throw fail(`goroutine ${a0[e]} is not waiting`);
        if (g1.lastEv === Ev.GoBlockNet) pcol[e] = NETPOLL_P;
        g1.state = RUNNABLE;
        g1.lastEv = typ;
        gs.set(a0[e], g1);
        break;
      }
      case Ev.GoSysCall: {
        const g = gOf(G);
        checkRunning(pOf(P), g, false);
        g.lastEv = typ;
        gs.set(G, g);
        break;
      }
      case Ev.GoSysBlock: {
        const g = gOf(G);
        const p = pOf(P);
        checkRunning(p, g, false);
        g.state = WAITING;
        p.g = 0;
        gs.set(G, g);
        break;
      }
      case Ev.GoSysExit: {
        const g = gOf(G);
        if (g.state !== WAITING) throw fail(`goroutine ${G} is not in a syscall`);
        g.state = RUNNABLE;
        g.lastEv = typ;
        gs.set(G, g);
        break;
      }
      case Ev.GoSleep: case Ev.GoBlock: case Ev.GoBlockSend: case Ev.GoBlockRecv: case Ev.GoBlockSelect:
      case Ev.GoBlockSync: case Ev.GoBlockCond: case Ev.GoBlockNet: case Ev.GoBlockGC: {
        const g = gOf(G);
        const p = pOf(P);
        checkRunning(p, g, false);
        g.state = WAITING;
        g.lastEv = typ;
        p.g = 0;
        gs.set(G, g);
        break;
      }
      case Ev.UserTaskCreate:
        if (tasks.has(a0[e])) throw fail(`task id ${a0[e]} used twice`);
        tasks.add(a0[e]);
        break;
      case Ev.UserTaskEnd:
        tasks.delete(a0[e]);
        break;
      case Ev.UserRegion: {
        const mode = a1[e];
        const open = regions.get(G);
        if (mode === 0) {
          if (open) open.push(a0[e], a2.get(e));
          else regions.set(G, [a0[e], a2.get(e)]);
        } else if (mode === 1) {
          // An end whose start predates the trace has nothing to match.
          if (open && open.length) {
            const name = open.pop()!;
            const task = open.pop()!;
            if (task !== a0[e] || name !== a2.get(e)) throw fail(`region ends out of order on goroutine ${G}`);
            if (!open.length) regions.delete(G);
          }
        } else {
          throw fail(`invalid region mode ${mode}`);
        }
        break;
      }
    }

    // References to stacks that are missing or empty become "no stack".
    if (stk[e] !== 0 && !t.stacks.has(stk[e])) stk[e] = 0;
  }
}
