// What the faces need from a continuous profiler, whichever one it is.
import type { CallOptions } from './rpc';
import type { TimeRange } from './time';

export type FleetKind = 'pyroscope' | 'parca';

export interface FleetProfileType {
  /** The id a query names it by (Pyroscope's ID; Parca's name:sample:unit:period:unit[:delta]). */
  id: string;
  name: string;
  sampleType: string;
  sampleUnit: string;
}

export interface FleetQuery {
  type: string;
  /** A label selector, `{service_name="x"}`; `{}` selects everything. */
  selector: string;
  range: TimeRange;
}

export interface FleetClient {
  kind: FleetKind;
  title: string;
  profileTypes(base: string, range: TimeRange | undefined, o: CallOptions): Promise<FleetProfileType[]>;
  labelValues(base: string, label: string, range: TimeRange, o: CallOptions): Promise<string[]>;
  /** The merged profile's bytes exactly as the server sent them (raw or gzip'd pprof). */
  selectMerge(base: string, q: FleetQuery, o: CallOptions): Promise<Uint8Array>;
}
