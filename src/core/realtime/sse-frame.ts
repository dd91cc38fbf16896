/**
 * The SSE wire format of PocketBase's realtime messages, split so that a broadcast encodes the
 * shared part once: every frame is `id:<clientId>\nevent:<name>\ndata:<data>\n\n`, where the
 * prefix differs per client and subscription and the data is shared by everyone who sees the
 * same record JSON.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Message data, encoded once and shared by every frame that carries it. */
export interface Payload {
  /** The data as text (what `onRealtimeMessageSend` handlers see). */
  readonly text: string;
  /** The UTF-8 bytes of the frame's tail: the data lines after `data:` and the blank line. */
  readonly bytes: Uint8Array;
}

/** The frame head `id:<clientId>\nevent:<name>\ndata:` as bytes. */
export function encodeFramePrefix(clientId: string, name: string): Uint8Array {
  return encoder.encode(`id:${clientId}\nevent:${name}\ndata:`);
}

/**
 * Encodes message data as a frame tail. NB: line breaks inside the data would end the field
 * early, so each line gets its own `data:` field (SSE joins them back with `\n`); JSON text
 * never contains a raw line break, so record messages are unaffected.
 */
export function encodePayload(text: string): Payload {
  const safe = /[\r\n]/.test(text) ? text.replace(/\r\n|\r|\n/g, "\ndata:") : text;
  return { text, bytes: encoder.encode(safe + "\n\n") };
}

/** One complete frame: the prefix and the payload tail in a single buffer (one write). */
export function assembleFrame(prefix: Uint8Array, payload: Payload): Uint8Array {
  const out = new Uint8Array(prefix.length + payload.bytes.length);
  out.set(prefix, 0);
  out.set(payload.bytes, prefix.length);
  return out;
}

/** Decodes frame bytes (tests and diagnostics). */
export function decodeFrame(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
