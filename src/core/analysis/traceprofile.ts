// A pprof Profile built from an execution trace's stacks, so the profile views' machinery
// (call tree, top, flame columns) draws trace time as it draws any profile. Each trace frame
// is one location with one line; pseudo-frames ("[running]") are functions without a file.
import type { Location, Profile, ProfileFunction, ValueType } from '../pprof/model';
import { NONE, type StackTable } from '../trace/events';

export class TraceProfileBuilder {
  private readonly functions: ProfileFunction[] = [];
  private readonly locations: Location[] = [];
  private readonly fnIndex = new Map<string, number>();
  private readonly locIndex = new Map<string, number>();
  private readonly byStack = new Map<number, number[]>();
  /** Aggregated samples: key (location indices, leaf first) → values. */
  private readonly samples = new Map<string, { locs: number[]; values: number[] }>();

  constructor(private readonly stacks: StackTable, private readonly sampleTypes: ValueType[]) {}

  /** The locations of a trace stack, leaf first ([] for NONE). */
  stackLocs(stack: number): number[] {
    if (stack === NONE) return [];
    let locs = this.byStack.get(stack);
    if (!locs) {
      // A frame without a PC names no place (cmd/trace's stack dedup treats it as no frame).
      locs = this.stacks.get(stack).filter((f) => f.pc !== 0 || f.fn !== '').map((f) => this.location(f.fn, f.file, f.line, f.pc));
      this.byStack.set(stack, locs);
    }
    return locs;
  }

  /** The location of a pseudo-frame (a state's name). */
  pseudo(name: string): number {
    return this.location(name, '', 0, 0);
  }

  /** Adds values to the sample with these locations (leaf first). */
  add(locs: number[], values: number[]): void {
    const key = locs.join(',');
    const s = this.samples.get(key);
    if (!s) { this.samples.set(key, { locs, values: values.slice() }); return; }
    for (let j = 0; j < values.length; j++) s.values[j] += values[j];
  }

  build(durationNanos = 0): Profile {
    const k = this.sampleTypes.length;
    const list = [...this.samples.values()];
    let refs = 0;
    for (const s of list) refs += s.locs.length;
    const offsets = new Uint32Array(list.length + 1);
    const locs = new Uint32Array(refs);
    const values = new Float64Array(list.length * k);
    let r = 0;
    list.forEach((s, i) => {
      offsets[i] = r;
      for (const l of s.locs) locs[r++] = l;
      for (let j = 0; j < k; j++) values[i * k + j] = s.values[j];
    });
    offsets[list.length] = r;
    return {
      sampleTypes: this.sampleTypes, defaultSampleType: '',
      samples: { count: list.length, offsets, locs, values, labelSet: new Uint32Array(list.length) },
      labelSets: [[]], mappings: [], locations: this.locations, functions: this.functions,
      dropFrames: '', keepFrames: '', timeNanos: 0, durationNanos, periodType: undefined, period: 0, comments: [], docUrl: '',
    };
  }

  private location(fn: string, file: string, line: number, pc: number): number {
    const key = `${pc}\u0000${fn}\u0000${file}\u0000${line}`;
    let li = this.locIndex.get(key);
    if (li !== undefined) return li;
    const fkey = `${fn}\u0000${file}`;
    let fi = this.fnIndex.get(fkey);
    if (fi === undefined) {
      fi = this.functions.push({ id: this.functions.length + 1, name: fn, systemName: fn, filename: file, startLine: 0 }) - 1;
      this.fnIndex.set(fkey, fi);
    }
    li = this.locations.push({ id: this.locations.length + 1, mapping: -1, address: BigInt(pc), lines: [{ fn: fi, line, column: 0 }], isFolded: false }) - 1;
    this.locIndex.set(key, li);
    return li;
  }
}
