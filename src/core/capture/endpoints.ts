// Where net/http/pprof serves each kind, and where a capture is saved. A user gives the
// program's address in any of the forms they copy around: `host:port`, `http://host:port`,
// `…/debug/pprof/`, or a whole endpoint URL with its query.

export const CAPTURE_KINDS = ['cpu', 'heap', 'allocs', 'goroutine', 'mutex', 'block', 'threadcreate', 'goroutineleak', 'trace'] as const;
export type CaptureKind = (typeof CAPTURE_KINDS)[number];

/** The kinds that record over a duration (`?seconds=N`, Go's default when omitted) rather than snapshot. */
export const TIMED_KINDS: Record<string, number> = { cpu: 30, trace: 1 };

/** The path under /debug/pprof/ for a kind (Go names the CPU profile `profile`). */
export function endpointName(kind: CaptureKind): string {
  return kind === 'cpu' ? 'profile' : kind;
}

/** The kind an endpoint name serves, or undefined. */
export function kindOfEndpoint(name: string): CaptureKind | undefined {
  if (name === 'profile') return 'cpu';
  return (CAPTURE_KINDS as readonly string[]).includes(name) && name !== 'cpu' ? (name as CaptureKind) : undefined;
}

export interface CaptureTarget {
  /** The URL to GET. */
  url: string;
  kind: CaptureKind;
  /** Seconds the server records for (cpu, trace, or a delta profile); undefined for a snapshot. */
  seconds?: number;
  /** `host:port` as it appears in the URL, for naming the file. */
  hostPort: string;
}

export class CaptureUsageError extends Error {}

/**
 * The URL for a capture. `kind` may be omitted when `address` names an endpoint. With
 * `seconds`, cpu and trace record for that long and heap, allocs, mutex and block are delta
 * profiles over it (net/http/pprof's `?seconds=`); without, cpu and trace take Go's defaults.
 */
export function captureTarget(address: string, kind?: CaptureKind, seconds?: number): CaptureTarget {
  const raw = address.trim();
  if (!raw) throw new CaptureUsageError('no address: give the program as host:port, http://host:port or its /debug/pprof/ URL');
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new CaptureUsageError(`${JSON.stringify(address)} is not an address: give host:port, http://host:port or its /debug/pprof/ URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new CaptureUsageError(`${u.protocol} is not supported: net/http/pprof is served over http:// or https://`);
  const at = u.pathname.indexOf('/debug/pprof');
  let base: string;
  let named: CaptureKind | undefined;
  if (at < 0) {
    base = `${u.pathname.replace(/\/+$/, '')}/debug/pprof/`;
  } else {
    base = u.pathname.slice(0, at) + '/debug/pprof/';
    const rest = u.pathname.slice(at + '/debug/pprof'.length).replace(/^\/+|\/+$/g, '');
    if (rest) {
      named = kindOfEndpoint(rest);
      if (!named) throw new CaptureUsageError(`${JSON.stringify(rest)} is not an endpoint GoLens captures (${CAPTURE_KINDS.map(endpointName).join(', ')})`);
    }
  }
  if (named && kind && named !== kind) throw new CaptureUsageError(`the URL names the ${named} endpoint but --kind is ${kind}`);
  const k = kind ?? named;
  if (!k) throw new CaptureUsageError(`which profile? give --kind (${CAPTURE_KINDS.join('|')}) or the endpoint URL`);
  if (seconds !== undefined && !(Number.isFinite(seconds) && seconds > 0)) throw new CaptureUsageError(`--seconds must be a positive number, not ${seconds}`);
  if (seconds !== undefined && (k === 'goroutine' || k === 'goroutineleak' || k === 'threadcreate')) {
    throw new CaptureUsageError(`the ${k} profile is a snapshot: --seconds applies to cpu, trace and the delta profiles (heap, allocs, mutex, block)`);
  }
  const q = new URLSearchParams(named ? u.search : '');
  if (seconds !== undefined) q.set('seconds', String(seconds));
  else if (TIMED_KINDS[k] !== undefined && !q.has('seconds')) q.set('seconds', String(TIMED_KINDS[k]));
  // The protobuf form, whatever the copied URL asked for: debug=1/2 text is for people.
  q.delete('debug');
  const query = q.toString();
  const url = `${u.protocol}//${u.host}${base}${endpointName(k)}${query ? `?${query}` : ''}`;
  const s = q.get('seconds');
  return { url, kind: k, seconds: s !== null ? Number(s) : undefined, hostPort: u.port ? `${u.hostname}:${u.port}` : u.hostname };
}

/** The file extension GoLens's editors open a capture of that kind with. */
export function captureExtension(kind: CaptureKind): string {
  return kind === 'trace' ? 'trace' : 'pprof';
}

/** `20261202T160501Z`: sortable, and no `:` (which some file systems refuse). */
export function utcStamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

/** The folder of everything taken from one server, relative to the workspace or current directory: `.golens/captures/<host_port>`. */
export function captureFolder(hostPort: string): string {
  return `.golens/captures/${hostPort.replace(/[^A-Za-z0-9.-]+/g, '_')}`;
}

/** The default place of a capture: `.golens/captures/<host_port>/<UTC time>-<kind>.<ext>`. */
export function defaultCapturePath(target: CaptureTarget, when: Date): string {
  return `${captureFolder(target.hostPort)}/${utcStamp(when)}-${target.kind}.${captureExtension(target.kind)}`;
}
