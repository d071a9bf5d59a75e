/**
 * The users of an import file, read one at a time: the report names each user of a file
 * Auth0 failed as a whole. Only `user_id` and `email` leave this module (never a hash).
 */
import { createReadStream } from 'node:fs';

/** The ids of one user of an import file. */
export interface Auth0FileUser {
  user_id?: string;
  email?: string;
}

/**
 * Each element of the JSON array in `path`, as ids, in order. Only the element being read
 * is held in memory. Rejects (after the users read so far) when the file is not a JSON array.
 */
export async function* readFileUsers(path: string): AsyncGenerator<Auth0FileUser> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let started = false;
  let element = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 }) as AsyncIterable<string>) {
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '[' || c === '{') {
        if (!started) {
          if (c !== '[') throw new SyntaxError(`${path} is not a JSON array`);
          started = true;
          from = i + 1;
        }
        depth++;
      } else if (c === ']' || c === '}') {
        depth--;
        if (depth === 0) {
          element += chunk.slice(from, i);
          if (element.trim() !== '') yield idsOf(element);
          return;
        }
      } else if (c === ',' && depth === 1) {
        element += chunk.slice(from, i);
        yield idsOf(element);
        element = '';
        from = i + 1;
      } else if (!started && c.trim() !== '') throw new SyntaxError(`${path} is not a JSON array`);
    }
    if (started) element += chunk.slice(from);
  }
  throw new SyntaxError(`${path} ends before its JSON array does`);
}

function idsOf(text: string): Auth0FileUser {
  const value = JSON.parse(text) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const { user_id: userId, email } = value as Record<string, unknown>;
  return { ...(typeof userId === 'string' ? { user_id: userId } : {}), ...(typeof email === 'string' ? { email } : {}) };
}
