// The code lenses of a Go file: leaks on their `go` statements and on the lines their
// goroutines block on, contended locks on their Lock and Unlock lines.
import { pathToFileURL } from 'node:url';
import type { CodeLens } from 'vscode-languageserver/node';
import type { Site } from '../core/analysis/finding';
import { contentionLensTitle, type ContentionLenses } from './contentionlenses';
import { blockedLensTitle, lensTitle, type LeakLenses } from './leaklenses';
import type { RevealLineArgs } from '../protocol/lenses';

export type { RevealLineArgs };

function at(line: number) {
  return { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: 0 } };
}

export function codeLenses(file: string, leaks: LeakLenses | undefined, contention: ContentionLenses | undefined): CodeLens[] {
  const out: CodeLens[] = [];
  const workspaceUri = (buildPath: string) => {
    const p = leaks?.workspacePath(buildPath);
    return p ? pathToFileURL(p).toString() : undefined;
  };
  const name = (f: string) => leaks?.workspacePath(f) ?? f;
  if (leaks) {
    for (const { line, rows } of leaks.at(file)) {
      const top = rows.slice().sort((a, b) => b.count - a.count)[0];
      const inTrace = leaks.placeOf(top);
      out.push({
        range: at(line),
        command: {
          title: lensTitle(rows, name),
          command: 'golens.showLeak',
          arguments: [{
            blockedUri: workspaceUri(top.blockedAt.file), blockedLine: top.blockedAt.line,
            sources: top.sources, count: rows.reduce((a, r) => a + r.count, 0), reason: top.reason,
            ...(inTrace ? { trace: pathToFileURL(inTrace.trace).toString(), place: inTrace.place } : {}),
          }],
        },
      });
    }
    for (const b of leaks.blockedAt(file)) {
      const go = b.createdBy[0];
      const args: RevealLineArgs = { uri: go ? pathToFileURL(go.file).toString() : undefined, line: go?.line ?? b.line, count: b.rows.reduce((a, r) => a + r.count, 0), role: 'blocked' };
      out.push({ range: at(b.line), command: { title: blockedLensTitle(b), command: 'golens.revealLine', arguments: [args] } });
    }
  }
  if (contention) {
    for (const c of contention.at(file)) {
      const other: Site | null = c.other;
      const args: RevealLineArgs = {
        uri: other ? workspaceUri(other.file) : undefined, line: other?.line ?? c.line, waitNs: c.waitNs, count: c.count, role: c.role,
      };
      out.push({ range: at(c.line), command: { title: contentionLensTitle(c, name), command: 'golens.revealLine', arguments: [args] } });
    }
  }
  return out;
}
