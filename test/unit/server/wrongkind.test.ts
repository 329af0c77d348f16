// A readable file of another kind than asked for is a WrongKindError (core/errors.ts) that says
// what was expected and what the file is — never recognised by its message. The faces skip it
// quietly where other kinds are expected, and the wire carries what the file is.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { contentionFrom } from '../../../src/core/artifacts/contention';
import { readAllocProfiles } from '../../../src/core/artifacts/escapes';
import { leaksFrom } from '../../../src/core/artifacts/leaks';
import { profileFromBytes } from '../../../src/core/artifacts/profiles';
import { WrongKindError, FormatError } from '../../../src/core/errors';
import { analyzeModule } from '../../../src/server/escapes';
import { ProfileStore } from '../../../src/server/profiles';
import { TraceStore } from '../../../src/server/traces';
import { ROOT } from '../helpers/fixtures';

const F = (...p: string[]) => join(ROOT, 'test', 'fixtures', ...p);
const CPU = F('pprof', 'go1.27', 'cpu.pprof');
const TRACE = F('trace', 'go1.27', 'trace-leak.trace');

function wrongKind(f: () => unknown, expected: RegExp, found: string, message: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof WrongKindError, `expected a WrongKindError, got ${(e as Error)?.stack ?? e}`);
    assert.ok(e instanceof FormatError, 'a WrongKindError is a FormatError: one line, exit status 2');
    assert.match(e.expected, expected);
    assert.equal(e.found, found);
    assert.match(e.message, message);
    return true;
  });
}

describe('wrong kinds are typed', () => {
  test('in core/artifacts: what was expected, what the file is', () => {
    wrongKind(() => profileFromBytes(readFileSync(TRACE)), /pprof profile/, 'trace', /Go execution trace \(go 1\.\d+\), not a pprof profile/);
    wrongKind(() => leaksFrom([CPU]), /goroutine/, 'profile', /cpu\.pprof: a cpu profile holds no goroutines/);
    wrongKind(() => contentionFrom([F('sched', 'go1.27', 'schedtrace.log')]), /mutex profile/, 'schedtrace', /schedtrace\.log: a schedtrace log has no lock contention/);
    wrongKind(() => contentionFrom([CPU]), /mutex or block profile/, 'profile', /cpu\.pprof: not a mutex or block profile/);
    wrongKind(() => readAllocProfiles([CPU], (f) => f), /heap or allocs profile/, 'profile', /cpu\.pprof: a cpu profile: the profile has no alloc_space sample type/);
  });

  test('on the wire: the editors say what the file is', async () => {
    const profiles = new ProfileStore();
    const p = await profiles.openProfile({ uri: pathToFileURL(TRACE).toString() });
    assert.ok(!p.ok);
    assert.equal(p.error.found, 'trace');
    const traces = new TraceStore();
    const t = await traces.openTrace({ uri: pathToFileURL(CPU).toString() }, () => {});
    assert.ok(!t.ok);
    assert.equal(t.error.found, 'profile');
    assert.match(t.error.message, /a pprof profile\? Open it as a profile/);
    // A broken file is not a wrong kind.
    const cut = await profiles.openProfile({ uri: 'file:///cut.pprof', base64: Buffer.from(readFileSync(CPU).subarray(0, 100)).toString('base64') });
    assert.ok(!cut.ok);
    assert.equal(cut.error.found, undefined);
  });

  test('escape diagnostics skip profiles of other kinds quietly, report broken ones', async () => {
    const res = await analyzeModule({ go: '/bin/false', moduleDir: F('programs'), profiles: [CPU, F('escapes', 'go1.27', 'heap.pprof'), F('nope.pprof')], timeoutMs: 30_000 });
    assert.equal(res.profileErrors.length, 1, res.profileErrors.join('\n'));
    assert.match(res.profileErrors[0], /nope\.pprof: .*no such file/);
  });
});
