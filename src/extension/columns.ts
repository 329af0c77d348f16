// Columns cross the LSP pipe as base64 and reach webviews as ArrayBuffers.
export function arrayBuffer(b64: string): ArrayBuffer {
  const b = Buffer.from(b64, 'base64');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
