// One merged profile from a continuous profiler, checked to be a pprof with samples before it
// is saved, and where it is saved: next to live captures, by server and profile type.
import { FormatError } from '../../errors';
import { decodeProfile } from '../../pprof/decode';
import { nodeInflater } from '../../io/inflate';
import { captureFolder, utcStamp } from '../endpoints';
import { parca } from './parca';
import { pyroscope } from './pyroscope';
import { FleetError, type CallOptions } from './rpc';
import type { FleetClient, FleetKind, FleetQuery } from './types';

export const FLEET_KINDS: FleetKind[] = ['pyroscope', 'parca'];

export function fleetClient(kind: FleetKind): FleetClient {
  return kind === 'parca' ? parca : pyroscope;
}

/** `{}` when empty; a selector must be braced (`{service_name="x"}`), as both servers parse it. */
export function normalizeSelector(query: string | undefined): string {
  const s = (query ?? '').trim();
  if (!s) return '{}';
  if (!/^\{.*\}$/s.test(s)) throw new FleetError(`${JSON.stringify(query)} is not a label selector: write it as {service_name="my-service"}`);
  return s;
}

export interface FetchedProfile {
  bytes: Uint8Array;
  samples: number;
}

/** Fetches and checks the merged profile: a pprof that decodes and has samples. */
export async function fetchMerged(client: FleetClient, base: string, q: FleetQuery, o: CallOptions): Promise<FetchedProfile> {
  const bytes = await client.selectMerge(base, q, o);
  const none = () => new FleetError(`${client.title} has no ${q.type} samples for ${q.selector} between ${new Date(q.range.startMs).toISOString()} and ${new Date(q.range.endMs).toISOString()}`);
  if (bytes.length === 0) throw none();
  let samples: number;
  try {
    samples = decodeProfile(bytes, { maxBytes: o.maxBytes, inflater: nodeInflater }).samples.count;
  } catch (e) {
    if (e instanceof FormatError) throw new FleetError(`${client.title} answered with something that is not a pprof profile: ${e.message}`);
    throw e;
  }
  if (samples === 0) throw none();
  return { bytes, samples };
}

/** `host:port` of a base URL, for the capture folder. */
export function baseHostPort(base: string): string {
  const s = base.trim();
  const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `http://${s}`);
  return u.port ? `${u.hostname}:${u.port}` : u.hostname;
}

/** `.golens/captures/<host_port>/<UTC end time>-<profile name>.<sample type>.pprof`. */
export function fleetCapturePath(base: string, q: FleetQuery): string {
  const [name, sample] = q.type.split(':');
  const type = [name, sample].filter(Boolean).join('.').replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${captureFolder(baseHostPort(base))}/${utcStamp(new Date(q.range.endMs))}-${type}.pprof`;
}
