// Where net/http/pprof serves each kind: every address form a user copies, and the refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captureTarget, CaptureUsageError, defaultCapturePath, utcStamp } from '../../../src/core/capture/endpoints';

test('each address form names the same endpoint', () => {
  for (const a of ['127.0.0.1:6060', 'http://127.0.0.1:6060', 'http://127.0.0.1:6060/', 'http://127.0.0.1:6060/debug/pprof', 'http://127.0.0.1:6060/debug/pprof/']) {
    assert.equal(captureTarget(a, 'heap').url, 'http://127.0.0.1:6060/debug/pprof/heap', a);
  }
  assert.equal(captureTarget('http://h:1/debug/pprof/heap?debug=1&gc=1').url, 'http://h:1/debug/pprof/heap?gc=1');
  assert.equal(captureTarget('https://svc.internal/app/debug/pprof/', 'goroutine').url, 'https://svc.internal/app/debug/pprof/goroutine');
});

test('cpu and trace take Go\'s default durations; --seconds makes delta profiles', () => {
  assert.deepEqual(captureTarget('h:1', 'cpu'), { url: 'http://h:1/debug/pprof/profile?seconds=30', kind: 'cpu', seconds: 30, hostPort: 'h:1' });
  assert.equal(captureTarget('h:1', 'trace').url, 'http://h:1/debug/pprof/trace?seconds=1');
  assert.equal(captureTarget('h:1', 'cpu', 2.5).url, 'http://h:1/debug/pprof/profile?seconds=2.5');
  assert.equal(captureTarget('h:1', 'mutex', 10).url, 'http://h:1/debug/pprof/mutex?seconds=10');
  assert.equal(captureTarget('http://h:1/debug/pprof/profile?seconds=7').seconds, 7);
  assert.equal(captureTarget('http://h:1/debug/pprof/profile').kind, 'cpu');
});

test('refusals say what is wrong', () => {
  assert.throws(() => captureTarget('', 'heap'), CaptureUsageError);
  assert.throws(() => captureTarget('h:1'), /give --kind/);
  assert.throws(() => captureTarget('http://h:1/debug/pprof/heap', 'cpu'), /names the heap endpoint but --kind is cpu/);
  assert.throws(() => captureTarget('http://h:1/debug/pprof/cmdline'), /not an endpoint/);
  assert.throws(() => captureTarget('ftp://h:1', 'heap'), /not supported/);
  assert.throws(() => captureTarget('h:1', 'goroutine', 5), /snapshot/);
  assert.throws(() => captureTarget('h:1', 'cpu', -1), /positive/);
});

test('captures are named by host, UTC time and kind', () => {
  const when = new Date(Date.UTC(2026, 11, 2, 16, 5, 1, 250));
  assert.equal(utcStamp(when), '20261202T160501Z');
  assert.equal(defaultCapturePath(captureTarget('[::1]:6060', 'trace'), when), '.golens/captures/_1_6060/20261202T160501Z-trace.trace');
  assert.equal(defaultCapturePath(captureTarget('localhost:6060', 'heap'), when), '.golens/captures/localhost_6060/20261202T160501Z-heap.pprof');
});
