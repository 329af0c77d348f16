// The "profile" lenses: on each test and benchmark of benchme_test.go (the file's func lines),
// none on a non-test Go file, the editor's unsaved text wins over the disk, and the setting
// turns them off — through the real LensService the server uses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import type { LensData } from '../../../src/server/artifacts';
import { LensService, type LensSettings } from '../../../src/server/lensservice';
import { WorkspaceSources } from '../../../src/server/sources';
import { PROFILE_COMMAND } from '../../../src/server/testlenses';
import { ROOT } from '../helpers/fixtures';

const BENCHME = join(ROOT, 'test', 'fixtures', 'programs', 'benchme');
const TEST_FILE = join(BENCHME, 'benchme_test.go');

function service(settings: LensSettings): LensService {
  return new LensService({
    // No artifacts in these settings: nothing to decode, the leak and contention lenses stay empty.
    lensData: async (): Promise<LensData> => ({ leaks: [], contention: { report: { sites: [], channels: [], runtime: { waitNs: 0, count: 0 }, traceNs: 0 }, traces: [] }, errors: [], decoded: 0 }),
    settings: async () => settings, roots: () => [ROOT], log: () => {}, warn: () => {}, error: (s) => assert.fail(s), changed: async () => {},
    sources: new WorkspaceSources(), trusted: () => false,
    readSource: (f) => readFileSync(f, 'utf8'),
  });
}

test('a profile lens and a profile-with-trace lens on each test and benchmark func line', async () => {
  const s = service({});
  await s.refresh();
  const lenses = s.codeLenses(pathToFileURL(TEST_FILE).toString());
  const lines = readFileSync(TEST_FILE, 'utf8').split('\n');
  const got = lenses.map((l) => [lines[l.range.start.line].replace(/\(.*/, ''), l.command!.title, l.command!.command, JSON.stringify(l.command!.arguments![0])]);
  const want = ['BenchmarkChecksum', 'BenchmarkRender', 'TestRender'].flatMap((name) => {
    const args = { file: TEST_FILE, name, kind: name.startsWith('Test') ? 'test' : 'benchmark' };
    return [[`func ${name}`, '$(pulse) profile', PROFILE_COMMAND, JSON.stringify(args)], [`func ${name}`, 'profile with trace', PROFILE_COMMAND, JSON.stringify({ ...args, trace: true })]];
  });
  assert.deepEqual(got, want);
  assert.deepEqual(s.codeLenses(pathToFileURL(join(BENCHME, 'benchme.go')).toString()), [], 'not a _test.go file');
  // The open editor's text, unsaved, is what counts.
  const edited = s.codeLenses(pathToFileURL(TEST_FILE).toString(), () => 'package benchme\n\nimport "testing"\n\nfunc BenchmarkNew(b *testing.B) {}\n');
  assert.deepEqual(edited.map((l) => [l.range.start.line, (l.command!.arguments![0] as { name: string }).name]), [[4, 'BenchmarkNew'], [4, 'BenchmarkNew']]);
});

test('golens.codeLens.profile: false turns them off', async () => {
  const s = service({ codeLens: { profile: false } });
  await s.refresh();
  assert.deepEqual(s.codeLenses(pathToFileURL(TEST_FILE).toString()), []);
});
