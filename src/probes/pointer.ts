// RFC 6901 JSON pointers ("/status/replicas", "/items/0/count"; "~1" is "/", "~0" is "~"). Pure.

/** The value at `pointer` in `doc`, or a reason why there is none. */
export function resolvePointer(doc: unknown, pointer: string): { value: unknown } | { missing: string } {
  if (pointer === '') return { value: doc };
  if (!pointer.startsWith('/')) return { missing: `pointer ${JSON.stringify(pointer)} must start with "/"` };
  let at: unknown = doc;
  let path = '';
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path += `/${raw}`;
    if (Array.isArray(at)) {
      if (!/^(0|[1-9]\d*)$/.test(token) || Number(token) >= at.length) return { missing: `no element ${path}` };
      at = at[Number(token)];
    } else if (typeof at === 'object' && at !== null && Object.hasOwn(at, token)) {
      at = (at as Record<string, unknown>)[token];
    } else {
      return { missing: `no ${path} in the body` };
    }
  }
  return { value: at };
}
