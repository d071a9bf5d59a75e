/**
 * Writers for the crypt(3)-style legacy layouts the generator needs: md5-crypt (`$1$`,
 * FreeBSD/glibc) and phpass (`$P$`, WordPress < 6.8 and phpBB3). Written from the
 * reference C/PHP code so the output is byte-identical to what those systems store.
 */
import { hash } from 'node:crypto';

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function md5(...parts: Buffer[]): Buffer {
  return hash('md5', parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts), 'buffer');
}

function to64(value: number, n: number): string {
  let out = '';
  for (let k = 0; k < n; k++) {
    out += ITOA64[value & 0x3f];
    value >>>= 6;
  }
  return out;
}

/** md5-crypt of `password` with an up-to-8-character `salt` from the crypt alphabet. */
export function md5Crypt(password: string, salt: string): string {
  const pw = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 8), 'utf8');
  const magic = Buffer.from('$1$');
  const alt = md5(pw, s, pw);
  const parts: Buffer[] = [pw, magic, s];
  for (let left = pw.length; left > 0; left -= 16) parts.push(alt.subarray(0, Math.min(16, left)));
  for (let k = pw.length; k > 0; k >>>= 1) parts.push(k & 1 ? Buffer.from([0]) : pw.subarray(0, 1));
  let fin = md5(Buffer.concat(parts));
  // The 1,000 rounds dominate generation time: build each round's input in one reused buffer.
  const buf = Buffer.allocUnsafe(32 + s.length + 2 * pw.length);
  for (let r = 0; r < 1000; r++) {
    let n = r & 1 ? pw.copy(buf, 0) : fin.copy(buf, 0);
    if (r % 3) n += s.copy(buf, n);
    if (r % 7) n += pw.copy(buf, n);
    n += r & 1 ? fin.copy(buf, n) : pw.copy(buf, n);
    fin = hash('md5', buf.subarray(0, n), 'buffer');
  }
  const b = (k: number): number => fin[k] as number;
  const body =
    to64((b(0) << 16) | (b(6) << 8) | b(12), 4) +
    to64((b(1) << 16) | (b(7) << 8) | b(13), 4) +
    to64((b(2) << 16) | (b(8) << 8) | b(14), 4) +
    to64((b(3) << 16) | (b(9) << 8) | b(15), 4) +
    to64((b(4) << 16) | (b(10) << 8) | b(5), 4) +
    to64(b(11), 2);
  return `$1$${salt.slice(0, 8)}$${body}`;
}

/** phpass's little-endian 6-bit encoding (`encode64` in PasswordHash.php). */
function phpassEncode(input: Buffer): string {
  let out = '';
  let k = 0;
  const count = input.length;
  while (k < count) {
    let value = input[k++] as number;
    out += ITOA64[value & 0x3f];
    if (k < count) value |= (input[k] as number) << 8;
    out += ITOA64[(value >> 6) & 0x3f];
    if (k++ >= count) break;
    if (k < count) value |= (input[k] as number) << 16;
    out += ITOA64[(value >> 12) & 0x3f];
    if (k++ >= count) break;
    out += ITOA64[(value >> 18) & 0x3f];
  }
  return out;
}

/** phpass portable hash with 2^`log2Rounds` MD5 rounds (WordPress uses 13) and an 8-character salt. */
export function phpassHash(password: string, salt: string, log2Rounds: number): string {
  const pw = Buffer.from(password, 'utf8');
  let h = md5(Buffer.from(salt, 'utf8'), pw);
  for (let count = 1 << log2Rounds; count > 0; count--) h = md5(h, pw);
  return `$P$${ITOA64[log2Rounds]}${salt}${phpassEncode(h)}`;
}

/** The crypt alphabet, for salts. */
export const CRYPT_SALT_ALPHABET = ITOA64;
