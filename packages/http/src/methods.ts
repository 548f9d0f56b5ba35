/**
 * Which methods a path has, for `405 Method Not Allowed` with `Allow` (RFC 9110 §15.5.6). The
 * routes are collected as they are registered (each pattern compiled once); the table is only
 * read when no route matched, so requests that match pay nothing.
 */
import type { FastifyInstance } from 'fastify';

interface RoutePattern {
  pattern: RegExp;
  methods: Set<string>;
}

const tables = new WeakMap<object, RoutePattern[]>();

/** A fastify route URL (`/v1/invoices/:id/send`, `/v1/*`) as an anchored expression. */
function compile(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/** Starts collecting the routes of `app` (and of every plugin registered on it afterwards). */
export function trackRouteMethods(app: FastifyInstance): void {
  const table: RoutePattern[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const existing = table.find((entry) => entry.pattern.source === compile(route.url).source);
    const entry = existing ?? { pattern: compile(route.url), methods: new Set<string>() };
    for (const method of methods) entry.methods.add(String(method).toUpperCase());
    if (!existing) table.push(entry);
  });
}

/** The methods `url` (a request URL, query allowed) has on `app`, sorted; empty when the path has none. */
export function allowedMethods(app: FastifyInstance, url: string): string[] {
  const path = url.split('?')[0] ?? url;
  const methods = new Set<string>();
  for (const entry of tables.get(app) ?? []) {
    if (entry.pattern.test(path)) for (const method of entry.methods) methods.add(method);
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
