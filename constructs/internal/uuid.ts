import { createHash } from 'node:crypto';

/** RFC 9562 §6.6 (Appendix C): the name space of URLs, `6ba7b811-9dad-11d1-80b4-00c04fd430c8`. */
export const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
/** RFC 9562 Appendix C: the name space of DNS names, `6ba7b810-9dad-11d1-80b4-00c04fd430c8`. */
export const NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A name-based UUID, version 5 (RFC 9562 §5.5): the SHA-1 of the name space's 16 bytes followed by
 * the name's UTF-8 bytes, cut to 16 bytes, with the version (5) and the variant (10) bits set. The
 * same name in the same name space always gives the same UUID, so a resource named with it keeps
 * its name across runs. Lower case, as RFC 9562 §4 prints them.
 */
export function uuidV5(name: string, namespace: string): string {
  if (!UUID.test(namespace)) throw new Error(`uuidV5: the name space must be a UUID, got ${JSON.stringify(namespace)}`);
  const bytes = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(Buffer.from(name, 'utf8')).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
