// Real artifacts with hostile names (issue 16): a goroutine dump and a goroutine profile from
// the fixtures whose functions and files are renamed to Markdown images and links, HTML,
// forged table rows, workflow commands, ESC sequences and bidi overrides.
import { gzipSync } from 'node:zlib';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { encodeProfile } from './encode';

/** What a rendered report or hover must never hold: an image, a link or an element from a file. */
export const HOSTILE_HTML = /<(img|a|script|iframe)\b/i;
/** What a terminal must never receive from a file: C0/C1 controls (but \n ending lines), DEL, bidi overrides. */
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * Names a goroutine dump can carry: a function name has no white space and ends before its
 * last `(`; a file path runs to `:line`. Each replaces one of the fixture's functions.
 */
export const DUMP_NAMES: Record<string, string> = {
  // Backticks end a code span that wraps the name in single backticks.
  'main.parkSend': 'main.`![x](https://example.invalid/i.png)`',
  'main.parkRecv': 'main.[a](https://example.invalid/)',
  'main.parkSelect': 'main.<img/src=x/onerror=alert(1)>',
  'main.parkCond': 'main.\u001b]8;;https://example.invalid/\u0007link\u001b]8;;\u0007\u202eevil',
};

/** The go1.2x fixture dump `text` (goroutine.txt) with hostile function and file names. */
export function hostileDump(text: string): string {
  let out = text;
  for (const [from, to] of Object.entries(DUMP_NAMES)) out = out.split(`${from}(`).join(`${to}(`);
  // Files too: the blocking line's path holds an image and an autolink, its base name an image.
  return out.split('golens.example/fixtures/goroutine/main.go:53 ').join('golens.example/![f](https://example.invalid/f.png)/https://example.invalid/![b](b.png)main.go:53 ');
}

/** Names a profile can carry (any string): new lines, CR, workflow commands, escapes. */
export const PROFILE_NAMES = [
  'main.![x](https://example.invalid/i.png)',
  'main.[a](https://example.invalid/)',
  'main.<img src=x onerror=alert(1)>',
  'main.a\r| forged | row |',
  'main.b\n::error::pwned',
  '::error file=x::pwned',
  'main.\u001b[2J\u001b]0;title\u0007clear',
  'main.rtl\u202eeman',
];

/** A real goroutine profile (`bytes`, gzip'd or raw) with every main.* function and every file renamed. */
export function hostileProfile(bytes: Uint8Array): Uint8Array {
  const p = decodeProfile(bytes);
  let k = 0;
  for (const f of p.functions.values()) {
    if (f.name.startsWith('main.')) {
      f.name = PROFILE_NAMES[k % PROFILE_NAMES.length];
      f.systemName = f.name;
      k++;
    }
    if (f.filename.includes('/fixtures/')) f.filename = `/src/\n::warning::x/${PROFILE_NAMES[k % PROFILE_NAMES.length]}/main.go`;
  }
  return gzipSync(encodeProfile(p));
}
