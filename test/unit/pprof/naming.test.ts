// Row names, flat, cum and inline marks equal `go tool pprof -top` on real profiles that
// exercise pprof's naming: frames without symbols ([binary] / <unknown>, one row per binary
// at either granularity), inlined and partly inlined functions, generic names as written.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { diff } from '../../../src/core/pprof/diff';
import { sampleIndex } from '../../../src/core/pprof/model';
import { stacks } from '../../../src/core/pprof/stacks';
import { top } from '../../../src/core/pprof/top';
import { profileView } from '../../../src/core/pprof/view';
import { diffTop, filteredTop, namingBytes, namingCases, namingTop } from '../helpers/naming';

const cases = namingCases();

test('the naming fixtures cover every file, sample type and both granularities', () => {
  const files = new Set(cases.map((c) => c.file));
  assert.deepEqual([...files].sort(), ['cppbench.cpu_no_samples_type', 'default.pgo', 'generics.pprof', 'go.nomappings.crash', 'rawbytes.pprof', 'sample.cpu']);
  for (const f of files) {
    const p = decodeProfile(namingBytes(f));
    for (const st of p.sampleTypes) for (const g of ['functions', 'lines']) {
      assert.ok(cases.some((c) => c.file === f && c.sampleType === st.type && c.granularity === g), `${f} ${st.type} ${g}`);
    }
  }
});

describe('core top = pprof -top', () => {
  for (const c of cases) {
    test(`${c.file} ${c.sampleType} ${c.granularity}`, () => {
      const want = namingTop(c);
      const p = decodeProfile(namingBytes(c.file));
      const got = top(stacks(p, sampleIndex(p, c.sampleType)), c.granularity);
      assert.equal(got.total, want.total);
      assert.deepEqual(
        got.rows.map((r) => ({ name: r.printable, flat: r.flat, cum: r.cum, inline: r.inline })),
        want.rows.map((r) => ({ name: r.name, flat: r.flat, cum: r.cum, inline: r.inline })),
      );
      if (c.granularity === 'functions') assert.deepEqual(got.rows.map((r) => r.function), want.rows.map((r) => r.name));
    });
  }
});

describe('inline marks after -hide / -show = pprof (a hidden real frame makes its inlined line real)', () => {
  for (const [flag, filters] of [['hide=busyLoop', { hide: 'busyLoop' }], ['show=math', { show: 'math' }], ['hide=runtime', { hide: 'runtime' }], ['show=main', { show: 'main' }]] as const) {
    for (const g of ['functions', 'lines'] as const) {
      test(`sample.cpu -${flag} ${g}`, () => {
        const want = filteredTop(flag, g);
        const p = decodeProfile(namingBytes('sample.cpu'));
        const got = top(stacks(p, sampleIndex(p, 'cpu'), filters), g);
        assert.deepEqual(got.rows.map((r) => [r.printable, r.flat, r.cum, r.inline]), want.rows.map((r) => [r.name, r.flat, r.cum, r.inline]));
      });
    }
  }
  test('math.Abs is (inline) unfiltered and real once busyLoop is hidden', () => {
    assert.equal(namingTop({ file: 'sample.cpu', sampleType: 'cpu', granularity: 'functions', path: '' }).rows.find((r) => r.name === 'math.Abs')?.inline, 'inline');
    assert.equal(filteredTop('hide=busyLoop', 'functions').rows.find((r) => r.name === 'math.Abs')?.inline, '');
  });
});

describe('diff rows carry pprof\'s names (-diff_base)', () => {
  for (const g of ['functions', 'lines'] as const) {
    test(g, () => {
      const want = diffTop(g);
      const base = decodeProfile(namingBytes('generics.pprof')), next = decodeProfile(namingBytes('rawbytes.pprof'));
      const got = diff(base, next, { sampleIndex: sampleIndex(next, 'alloc_space'), granularity: g });
      assert.deepEqual(got.rows.map((r) => [r.name, r.flat.delta, r.cum.delta]), want.rows.map((r) => [r.name, r.flat, r.cum]));
    });
  }
});

describe('what the rules produce on these files', () => {
  const marks = (file: string, st: string, g: 'functions' | 'lines') => {
    const rows = namingTop({ file, sampleType: st, granularity: g, path: '' }).rows;
    return { inline: rows.filter((r) => r.inline === 'inline').length, partial: rows.filter((r) => r.inline === 'partial-inline').length };
  };
  test("Go's default.pgo: 137 (inline) rows at -functions, 113 at -lines", () => {
    assert.deepEqual(marks('default.pgo', 'cpu', 'functions'), { inline: 137, partial: 0 });
    assert.deepEqual(marks('default.pgo', 'cpu', 'lines'), { inline: 113, partial: 0 });
  });
  test('a function inlined at one call and called through a value at another is (partial-inline)', () => {
    const row = namingTop({ file: 'generics.pprof', sampleType: 'alloc_space', granularity: 'functions', path: '' }).rows.find((r) => r.name === 'main.newBox');
    assert.equal(row?.inline, 'partial-inline');
  });
  test('generic names are printed as the runtime wrote them', () => {
    const names = namingTop({ file: 'generics.pprof', sampleType: 'alloc_space', granularity: 'functions', path: '' }).rows.map((r) => r.name);
    assert.ok(names.some((n) => /^main\.Map\[go\.shape\./.test(n)), names.join('\n'));
    assert.ok(names.some((n) => /^main\.\(\*Stack\[go\.shape\.\w+\]\)\.Push$/.test(n)), names.join('\n'));
  });
  test('a file name that is not valid UTF-8 keeps its byte (pprof prints it as it is)', () => {
    const rows = namingTop({ file: 'rawbytes.pprof', sampleType: 'alloc_space', granularity: 'lines', path: '' }).rows;
    assert.ok(rows.some((r) => /^main\.grow w\udcffx\.go:\d+$/.test(r.name)), rows.map((r) => r.name).join('\n'));
    assert.ok(!rows.some((r) => r.name.includes('\ufffd')));
  });
  test('without symbols, one row per binary at -lines too (pprof aggregates addresses away)', () => {
    const p = decodeProfile(namingBytes('cppbench.cpu_no_samples_type'));
    const rows = top(stacks(p, 0), 'lines').rows;
    assert.deepEqual(rows.map((r) => r.printable), ['[cppbench_server_main]', '[libc-2.15.so]', '[libpthread-2.15.so]']);
    assert.ok(p.locations.length > rows.length * 3, `${p.locations.length} locations`);
  });
});

describe('the profile view names rows and flame boxes as pprof does', () => {
  for (const file of ['cppbench.cpu_no_samples_type', 'go.nomappings.crash', 'sample.cpu', 'generics.pprof']) {
    test(file, () => {
      const p = decodeProfile(namingBytes(file));
      const si = sampleIndex(p, undefined);
      const want = namingTop({ file, sampleType: p.sampleTypes[si].type, granularity: 'functions', path: '' });
      const v = profileView(p, { sampleIndex: si, granularity: 'functions', filters: {}, topLimit: 1_000_000, minFraction: 0 });
      assert.deepEqual(v.top.map((r) => [r.function, r.inline]), want.rows.map((r) => [r.name, r.inline]));
      const names = new Set(want.rows.map((r) => r.name));
      for (const n of v.frameNames) {
        assert.ok(!/^0x[0-9a-f]+$/.test(n), `flame box named by address: ${n}`);
        assert.ok(names.has(n), `flame box ${n} is no pprof row`);
      }
    });
  }
});
