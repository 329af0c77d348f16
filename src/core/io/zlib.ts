// node:zlib, required on first use: loading it (with Node's streams) took 2-4 ms of every
// start, and `golens trace` of a plain trace never inflates anything.
import type * as Zlib from 'node:zlib';

let zlib: typeof Zlib | undefined;
export const nodeZlib = (): typeof Zlib => (zlib ??= require('node:zlib') as typeof Zlib);
