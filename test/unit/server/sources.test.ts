// The server's one build path → workspace mapper: a frame click (the extension's
// ResolveSourceRequest) and a lens on the same frame land on the same file, on the real
// fixtures workspace (a Go module with its traces and profiles).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { ArtifactCache } from '../../../src/server/artifacts';
import { LeakLenses, resolveArtifacts } from '../../../src/server/leaklenses';
import { profileLineCosts } from '../../../src/server/linecost';
import { ProfileStore } from '../../../src/server/profiles';
import { WorkspaceSources } from '../../../src/server/sources';
import { PPROF_DIR, ROOT, toolchainDirs } from '../helpers/fixtures';

const WS = join(ROOT, 'test', 'fixtures');
const NEW = toolchainDirs().at(-1)!;

describe('workspace sources', () => {
  test('a frame click and a leak lens on the same frame resolve to the same file', () => {
    const sources = new WorkspaceSources();
    const lenses = new LeakLenses(() => undefined, sources);
    const data = new ArtifactCache().refresh(resolveArtifacts([WS], [`trace/${NEW}/trace-leak.trace`]));
    assert.ok(lenses.update([WS], data.leaks) > 0);
    const main = join(WS, 'programs', 'trace-leak', 'main.go');
    const at = lenses.at(main);
    assert.ok(at.length > 0);
    for (const { rows } of at) {
      for (const r of rows) {
        // The frames the timeline shows for this leak: where it blocks and the go statement.
        for (const frame of [r.blockedAt.file, r.createdAt?.file].filter((f): f is string => !!f)) {
          const click = sources.resolve({ file: frame });
          assert.equal(click.path, lenses.workspacePath(frame), frame);
        }
        assert.equal(sources.resolve({ file: r.createdAt!.file }).path, main, r.createdAt!.file);
      }
    }
  });

  test("a profile frame resolves where its per-line cost is drawn; the standard library is not in the workspace", async () => {
    const sources = new WorkspaceSources();
    sources.refresh([WS]);
    const store = new ProfileStore();
    const open = await store.openProfile({ uri: pathToFileURL(join(PPROF_DIR, NEW, 'cpu.pprof')).toString() });
    assert.ok(open.ok);
    const costs = profileLineCosts(store.profile(open.summary.id), { id: open.summary.id, sampleIndex: 1, filters: {} }, (f) => sources.map(f));
    assert.ok(costs.ok && costs.files.length > 0);
    for (const f of costs.files) assert.equal(sources.resolve({ file: f.file }).path, f.path, f.file);
    assert.ok(costs.files.some((f) => f.path === join(WS, 'programs', 'cpu', 'main.go')), costs.files.map((f) => f.path).join('\n'));
    const view = store.view({ id: open.summary.id, query: { sampleIndex: 1, granularity: 'functions', filters: {}, topLimit: 50, minFraction: 0 } });
    assert.ok(view.ok);
    const runtime = view.view.frameFiles.find((f) => /runtime\/proc\.go$/.test(f));
    assert.ok(runtime);
    assert.equal(sources.resolve({ file: runtime }).path, null);
  });
});
