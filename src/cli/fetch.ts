// golens fetch pyroscope|parca <base url>: one merged profile from a continuous profiler,
// saved as a pprof file (or, with --list-types, the server's profile types).
import { FLEET_KINDS, fetchMerged, fleetClient, fleetCapturePath, normalizeSelector } from '../core/capture/fleet/fetch';
import { FleetError } from '../core/capture/fleet/rpc';
import { parseRange, TimeArgError } from '../core/capture/fleet/time';
import type { FleetKind } from '../core/capture/fleet/types';
import { printable } from '../core/format';
import { ensureFolderOf, saveWhole, SaveError } from '../core/io/save';
import { one, parseArgs, UsageError } from './args';

const MAX_BYTES = 512 * 1024 * 1024;

export const FETCH_USAGE = `golens fetch pyroscope|parca <base url> --type ID [--query '{service_name="x"}']
             [--from TIME] [--to TIME] [-o FILE] [--tenant ID] [--timeout SECONDS] [--json]
golens fetch pyroscope|parca <base url> --list-types [--json]`;

/** Runs the command; resolves with the exit status (2 and one line on stderr for any failure). */
export async function cmdFetch(argv: string[], out: (s: string) => void, err: (s: string) => void, now = Date.now()): Promise<number> {
  try {
    const p = parseArgs(argv, {
      values: ['type', 'query', 'from', 'to', 'output', 'timeout', 'tenant'],
      booleans: ['list-types', 'json'],
      aliases: { o: 'output' },
    });
    const [server, base, extra] = p.positional;
    if (!server || !(FLEET_KINDS as string[]).includes(server)) throw new UsageError(`which server? golens fetch ${FLEET_KINDS.join('|')} <base url> …`);
    if (!base) throw new UsageError(`give the ${server} server's base URL, e.g. golens fetch ${server} http://localhost:${server === 'parca' ? 7070 : 4040} --type …`);
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
    const client = fleetClient(server as FleetKind);
    const timeout = Number(one(p, 'timeout') ?? '30');
    if (!(timeout > 0)) throw new UsageError(`--timeout must be a positive number of seconds`);
    const tenant = one(p, 'tenant');
    const o = { timeoutMs: timeout * 1000, maxBytes: MAX_BYTES, headers: tenant ? { 'x-scope-orgid': tenant } : undefined };
    const range = parseRange(one(p, 'from') ?? 'now-1h', one(p, 'to') ?? 'now', now);

    if (p.bools.has('list-types')) {
      const types = await client.profileTypes(base, range, o);
      if (p.bools.has('json')) out(`${JSON.stringify({ types })}\n`);
      else for (const t of types) out(`${t.id}\n`);
      return 0;
    }
    const type = one(p, 'type');
    if (!type) throw new UsageError(`give --type (one of the ids golens fetch ${server} ${base} --list-types prints)`);
    const q = { type, selector: normalizeSelector(one(p, 'query')), range };
    const got = await fetchMerged(client, base, q, o);
    const file = one(p, 'output') ?? fleetCapturePath(base, q);
    ensureFolderOf(file);
    saveWhole(file, got.bytes);
    if (p.bools.has('json')) out(`${JSON.stringify({ file, server, type, query: q.selector, from: range.startMs, to: range.endMs, bytes: got.bytes.length, samples: got.samples })}\n`);
    else out(`${file}: ${got.samples} samples, ${got.bytes.length} bytes\n`);
    return 0;
  } catch (e) {
    if (e instanceof FleetError || e instanceof UsageError || e instanceof TimeArgError || e instanceof SaveError) {
      err(`golens: ${printable(e.message)}\n`);
      return 2;
    }
    throw e;
  }
}
