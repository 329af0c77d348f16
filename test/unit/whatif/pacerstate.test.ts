// The pacer's two steady states are named in one place (core/analysis/pacerstate.ts): the model's
// note, `golens whatif`'s text and the What-if panel's line under its table say them in the same
// words, on a real trace whose run could have settled either way at GOGC=50.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACER_STATES, pacerStatesText, type PacerState } from '../../../src/core/analysis/pacerstate';
import { whatIfFrom } from '../../../src/core/artifacts/whatif';
import { whatIfText } from '../../../src/cli/whatif';
import { whatIfColumns } from '../../../webview/trace/whatifsettings';
import { ROOT } from '../helpers/fixtures';

const TRACE = join(ROOT, 'test', 'fixtures', 'trace', 'go1.27', 'trace-gc.trace');

test('the note, the CLI text and the panel name the pacer\'s states with core\'s words', () => {
  const r = whatIfFrom(TRACE, [{ gogc: 50 }]);
  const traced = r.model.pacerState, o = r.scenarios[0].otherState;
  assert.ok(traced && o, 'this trace at GOGC=50 has both states');
  assert.notEqual(o.pacerState, traced);
  const both: PacerState[] = [traced, o.pacerState];
  assert.deepEqual(both.slice().sort(), ['runway', 'zero']);
  // The model's note names the traced run's state.
  assert.ok(r.notes.some((n) => n.startsWith(`the pacer's state: ${PACER_STATES[traced].name} (`)), r.notes.join('\n'));
  // The CLI: the explanation (both states, what each means, the traced run's), then the other state by name.
  const text = whatIfText(TRACE, r);
  const line = pacerStatesText(traced);
  for (const s of both) assert.ok(line.includes(`${PACER_STATES[s].name} (${PACER_STATES[s].how})`), line);
  assert.ok(line.endsWith(`This trace's run had ${PACER_STATES[traced].name}.`), line);
  assert.ok(text.includes(`\n${line} `), text);
  assert.match(text, new RegExp(`^ {2}GOGC=50, memory limit none, GOMAXPROCS=2, ${PACER_STATES[o.pacerState].name}: \\d+ GC cycles`, 'm'));
  // The panel: the same explanation under the table.
  const { states } = whatIfColumns(r);
  assert.ok(states?.startsWith(`${line} `), states);
});

test('what each state means is written once: no other source file spells it', () => {
  const hows = Object.values(PACER_STATES).map((s) => s.how);
  const home = join('src', 'core', 'analysis', 'pacerstate.ts');
  const found: string[] = [];
  const files = ['src', 'webview'].flatMap((top) => readdirSync(join(ROOT, top), { recursive: true }).map((f) => join(top, String(f))));
  assert.ok(files.includes(home));
  // The search finds the words where they are written.
  for (const h of hows) assert.ok(readFileSync(join(ROOT, home), 'utf8').includes(h), h);
  for (const rel of files) {
    if (!rel.endsWith('.ts') || rel === home) continue;
    const text = readFileSync(join(ROOT, rel), 'utf8');
    for (const h of hows) if (text.includes(h)) found.push(`${rel}: ${h}`);
  }
  assert.deepEqual(found, []);
});
