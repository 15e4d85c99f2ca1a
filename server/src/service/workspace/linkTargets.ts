/**
 * Where a Markdown link's path leads, as a document URI, and the relative path from one document
 * to another: for `broken-link`, its quick fix and rename. Only relative paths to Markdown files
 * are followed; a URL with a scheme, an absolute path or any other file is left alone.
 */
import { urlSchemeEnd } from '../parse/text';

/** The URI `path` (the destination before `#`) leads to from `fromUri`; `fromUri` itself for `''`; undefined when not followed. */
export function linkTargetUri(fromUri: string, path: string): string | undefined {
  if (path === '') return fromUri;
  const question = path.indexOf('?');
  const file = question === -1 ? path : path.slice(0, question);
  if (file === '' || file.startsWith('/') || file.startsWith('\\') || urlSchemeEnd(file, 0, file.length) !== -1) return undefined;
  if (!/\.(?:md|markdown)$/i.test(file)) return undefined;
  try {
    const base = new URL(fromUri);
    if (base.protocol !== 'file:') return undefined;
    const resolved = new URL(file, base);
    resolved.hash = '';
    resolved.search = '';
    return resolved.href;
  } catch {
    return undefined;
  }
}

/** The relative path (URI-encoded segments, `/`) from the document `fromUri` to `toUri`; undefined across schemes or hosts. */
export function relativeLink(fromUri: string, toUri: string): string | undefined {
  let from: URL;
  let to: URL;
  try {
    from = new URL(fromUri);
    to = new URL(toUri);
  } catch {
    return undefined;
  }
  if (from.protocol !== to.protocol || from.host !== to.host) return undefined;
  const fromParts = from.pathname.split('/').slice(0, -1);
  const toParts = to.pathname.split('/');
  let common = 0;
  while (common < fromParts.length && common < toParts.length - 1 && fromParts[common] === toParts[common]) common++;
  return [...Array<string>(fromParts.length - common).fill('..'), ...toParts.slice(common)].join('/');
}

/** `#Out-3%20x` as heading anchors compare: decoded, lower-cased (GitHub finds an anchor whatever its case). */
export function decodeAnchor(anchor: string): string {
  let decoded = anchor;
  try {
    decoded = decodeURIComponent(anchor);
  } catch {
    // a malformed escape: compared as written
  }
  return decoded.toLowerCase();
}
