// The Namespace Transfer API as one demo user, for the story's checks that must not go through the UI (what
// the backend refuses, what a CSV export should hold).
import { demoToken } from './portal.mjs';

/** A client of /api/namespace-transfer signed in as `user` (e.g. user:default/alice). */
export async function apiAs(baseUrl, user) {
  const token = await demoToken(baseUrl, user);
  const call = async (method, path, body) => {
    const res = await fetch(`${baseUrl}/api/namespace-transfer${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  };
  /** the answer of a call expected to succeed; otherwise an error with the backend's message */
  const ok = async (method, path, body) => {
    const res = await call(method, path, body);
    if (res.status >= 400)
      throw new Error(
        `${user}: ${method} ${path} answered ${res.status}: ${res.json?.error?.message ?? res.text}`,
      );
    return res.json ?? res.text;
  };
  return {
    user,
    call,
    get: path => ok('GET', path),
    post: (path, body) => ok('POST', path, body),
    /** every page of GET /transfers with these filters */
    async listAll(query = {}) {
      const items = [];
      let cursor;
      do {
        const params = new URLSearchParams({
          ...query,
          limit: '100',
          ...(cursor ? { cursor } : {}),
        });
        const page = await ok('GET', `/transfers?${params}`);
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    },
  };
}
