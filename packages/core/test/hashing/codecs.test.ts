/**
 * The one-pass base64/hex decoders against the obvious definition of strictness (regex
 * alphabet, decode, re-encode and compare), over many random near-miss strings: the
 * faster decoders must accept and refuse exactly the same inputs and yield the same bytes.
 */
import { randomBytes } from 'node:crypto';
import { decodeBase64, decodeHex, type Base64Padding } from '../../src/hashing/codecs';
import { BY_FIRST_CHAR, BY_PREFIX } from '../../src/hashing/registry';

function referenceBase64(text: string, padding: Base64Padding, urlSafe: boolean): Buffer | undefined {
  if (!(urlSafe ? /^[A-Za-z0-9_-]*={0,2}$/ : /^[A-Za-z0-9+/]*={0,2}$/).test(text)) return undefined;
  const unpadded = text.replace(/=+$/, '');
  const hasPadding = unpadded.length !== text.length;
  if (padding === 'forbidden' && hasPadding) return undefined;
  if (unpadded.length % 4 === 1) return undefined;
  const bytes = Buffer.from(unpadded, urlSafe ? 'base64url' : 'base64');
  const canonical = bytes.toString(urlSafe ? 'base64url' : 'base64').replace(/=+$/, '');
  if (canonical !== unpadded) return undefined;
  const padded = canonical + '='.repeat((4 - (canonical.length % 4)) % 4);
  if (padding === 'required' && text !== padded) return undefined;
  if (padding === 'optional' && hasPadding && text !== padded) return undefined;
  return bytes;
}

function referenceHex(text: string): Buffer | undefined {
  return text.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(text) ? Buffer.from(text, 'hex') : undefined;
}

/** Valid encodings of random bytes, then one random edit (or none). */
function nearMisses(encode: (bytes: Buffer) => string, alphabet: string, count: number): string[] {
  const out: string[] = ['', '=', '==', '===', 'A', 'AA', 'AA=', 'AA==', 'AB==', 'AAA=', 'AAB=', 'AAAA=', 'é', 'AAA\u0100'];
  for (let i = 0; i < count; i++) {
    let text = encode(randomBytes(i % 40));
    const at = text.length === 0 ? 0 : (randomBytes(1)[0] ?? 0) % text.length;
    const ch = alphabet[(randomBytes(1)[0] ?? 0) % alphabet.length] ?? '=';
    switch (i % 5) {
      case 1:
        text = text.slice(0, at) + ch + text.slice(at + 1);
        break;
      case 2:
        text = text.slice(0, at) + ch + text.slice(at);
        break;
      case 3:
        text = text.slice(0, at) + text.slice(at + 1);
        break;
      case 4:
        text = text.replace(/=+$/, '');
        break;
      default:
    }
    out.push(text);
  }
  return out;
}

describe('strict codecs', () => {
  const edits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=.$ \u00e9\u0100';

  it('decodeBase64 accepts and yields exactly what decode-and-re-encode does', () => {
    for (const urlSafe of [false, true]) {
      const padded = (b: Buffer): string => {
        const text = b.toString(urlSafe ? 'base64url' : 'base64');
        return text + '='.repeat((4 - (text.length % 4)) % 4);
      };
      const inputs = nearMisses(padded, edits, 3000);
      for (const text of inputs) {
        for (const padding of ['required', 'forbidden', 'optional'] as const) {
          expect({ text, padding, urlSafe, out: decodeBase64(text, padding, urlSafe)?.toString('hex') }).toEqual({ text, padding, urlSafe, out: referenceBase64(text, padding, urlSafe)?.toString('hex') });
        }
      }
    }
  });

  it('decodeHex accepts and yields exactly what the regex definition does', () => {
    for (const text of nearMisses((b) => (b.length % 2 ? b.toString('hex').toUpperCase() : b.toString('hex')), '0123456789abcdefABCDEFgG= \u00e9', 2000)) {
      expect({ text, out: decodeHex(text)?.toString('hex') }).toEqual({ text, out: referenceHex(text)?.toString('hex') });
    }
  });
});

describe('prefix dispatch', () => {
  it('sends each known prefix to exactly the families the full list would try, in order', () => {
    for (const [prefix, families] of BY_PREFIX) {
      const all = BY_FIRST_CHAR[prefix.charAt(0)] ?? [];
      const claimants = all.filter((f) => f.claims(`${prefix}x`) || f.claims(`${prefix}{x}`));
      expect({ prefix, claimants }).toEqual({ prefix, claimants: [...families] });
    }
  });
});
