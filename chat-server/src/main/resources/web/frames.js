// The native protocol's frames, one per binary WebSocket message (docs/PROTOCOL.md):
// a 2-byte big-endian header length, the header as UTF-8 JSON, then the content bytes.

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

export const TEXT = 'text/plain; charset=utf-8';

/**
 * One frame as an ArrayBuffer. The content, when given, is text (UTF-8, text/plain) or bytes
 * (a Uint8Array: the header's content-type, else application/octet-stream); it sets the keys.
 */
export function encodeFrame(header, body) {
  const binary = body instanceof Uint8Array;
  const content = binary ? body : body == null || body === '' ? new Uint8Array(0) : encoder.encode(body);
  const h = { ...header };
  delete h['content-length'];
  if (content.length > 0) {
    h['content-type'] = binary ? h['content-type'] || 'application/octet-stream' : TEXT;
    h['content-length'] = content.length;
  } else {
    delete h['content-type'];
  }
  const headerBytes = encoder.encode(JSON.stringify(h));
  if (headerBytes.length > 0xffff) {
    throw new Error('header too large for a frame');
  }
  const out = new Uint8Array(2 + headerBytes.length + content.length);
  out[0] = headerBytes.length >> 8;
  out[1] = headerBytes.length & 0xff;
  out.set(headerBytes, 2);
  out.set(content, 2 + headerBytes.length);
  return out.buffer;
}

/**
 * A received message as {header, text, json}: json is the parsed content when it is JSON
 * (member and room lists travel so), else null. Throws if it is not one whole frame.
 */
export function decodeFrame(buffer) {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < 2) {
    throw new Error('message shorter than a frame');
  }
  const headerLength = (bytes[0] << 8) | bytes[1];
  if (bytes.length < 2 + headerLength) {
    throw new Error('message ends inside the header');
  }
  const header = JSON.parse(decoder.decode(bytes.subarray(2, 2 + headerLength)));
  if (header === null || typeof header !== 'object' || typeof header.type !== 'string') {
    throw new Error('header without a type');
  }
  const length = Number.isInteger(header['content-length']) ? header['content-length'] : 0;
  if (bytes.length !== 2 + headerLength + length) {
    throw new Error('content length does not match the message');
  }
  const text = length > 0 ? decoder.decode(bytes.subarray(2 + headerLength)) : '';
  const json = length > 0 && /^application\/json/i.test(header['content-type'] || '')
    ? JSON.parse(text) : null;
  return { header, text, json };
}
