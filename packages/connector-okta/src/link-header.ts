/**
 * Okta paginates only through `Link` headers. This reads the `after` cursor of the
 * `rel="next"` link, treating it as opaque.
 */

/** The `after` cursor of the `rel="next"` link, or null when there is no next page. */
export function nextCursor(linkHeader: string | null): string | null {
  if (linkHeader === null) return null;
  for (const part of linkHeader.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match === null || !/;\s*rel="?next"?/i.test(match[2] ?? '')) continue;
    try {
      return new URL(match[1] ?? '', 'http://placeholder').searchParams.get('after');
    } catch {
      return null;
    }
  }
  return null;
}
