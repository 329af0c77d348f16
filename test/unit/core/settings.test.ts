// Settings fitted to their schema in package.json, whatever a workspace writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitSetting } from '../../../src/core/settings';
import { readSettings, settingsFromSection, SETTING_KEYS, type GoLensSettings } from '../../../src/protocol/settings';

test('numbers are clamped to minimum and maximum, wrong types fall back to the default', () => {
  const s = { type: 'integer' as const, default: 200, minimum: 10, maximum: 5000 };
  assert.equal(fitSetting(s, 100000), 5000);
  assert.equal(fitSetting(s, -3), 10);
  assert.equal(fitSetting(s, 37.9), 37);
  assert.equal(fitSetting(s, '300'), 200);
  assert.equal(fitSetting(s, Number.NaN), 200);
  assert.equal(fitSetting(s, Infinity), 200);
  assert.equal(fitSetting({ type: 'string', default: 'functions', enum: ['functions', 'lines'] }, 'lines'), 'lines');
  assert.equal(fitSetting({ type: 'string', default: 'functions', enum: ['functions', 'lines'] }, '<img>'), 'functions');
  assert.equal(fitSetting({ type: 'boolean', default: true }, 'false'), true);
  assert.deepEqual(fitSetting({ type: 'array', default: [], items: { type: 'string' }, maxItems: 2 }, ['a', 3, 'b', 'c']), ['a', 'b']);
  assert.deepEqual(fitSetting({ type: 'array', default: [], items: { type: 'string' } }, 'a'), []);
});

test('the manifest\'s settings, typed once: a workspace\'s topRows of 100000 is 5000', () => {
  const typed: Record<keyof GoLensSettings, true> = {
    'golens.profile.defaultGranularity': true, 'golens.profile.topRows': true, 'golens.sourceRoots': true, 'golens.artifacts': true,
    'golens.limits.maxBytes': true, 'golens.escapes.enabled': true, 'golens.escapes.showUnmeasured': true,
    'golens.escapes.timeoutSeconds': true, 'golens.goPath': true, 'golens.codeLens.leaks': true, 'golens.codeLens.contention': true, 'golens.codeLens.profile': true,
  };
  assert.deepEqual([...SETTING_KEYS].sort(), Object.keys(typed).sort());
  const defaults = readSettings(() => undefined);
  assert.equal(defaults['golens.profile.topRows'], 200);
  assert.equal(defaults['golens.limits.maxBytes'], 2 ** 31);
  const hostile = settingsFromSection({ profile: { topRows: 100000, defaultGranularity: 'bogus' }, escapes: { timeoutSeconds: 1e9 }, artifacts: Array(1000).fill('x'), limits: { maxBytes: 1e15 } });
  assert.equal(hostile['golens.profile.topRows'], 5000);
  assert.equal(hostile['golens.profile.defaultGranularity'], 'functions');
  assert.equal(hostile['golens.escapes.timeoutSeconds'], 3600);
  assert.equal(hostile['golens.artifacts'].length, 256);
  assert.equal(hostile['golens.limits.maxBytes'], 16 * 2 ** 30);
});
