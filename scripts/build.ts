/**
 * `npm run build`: bundles each service's `src/main.ts` with esbuild into `dist/<service>/main.js`
 * (ESM for Node 24, linked source maps), so the services run as plain JavaScript (`node
 * dist/<service>/main.js`) with no transpiler at run time. A worker thread's entry
 * (`src/**\/*-thread.ts`) becomes its own bundle beside it (`dist/<service>/<name>.js`).
 *
 * The workspace packages (`@invoice/*`, TypeScript sources) are bundled in; every third-party
 * package stays external and is loaded from node_modules at run time, exactly the copy the source
 * would load: when the source resolves a package to a nested copy (e.g. `bullmq` only under
 * `packages/queue/node_modules`), `dist/<service>/node_modules/<name>` links to that copy, since a
 * bare import from `dist/<service>/` would otherwise find another one, or none.
 *
 * Files are written atomically (temporary name, then rename), so builds running side by side (the
 * system tests build before they start a system) never leave a half-written file to a process
 * that starts meanwhile.
 */
import { mkdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** The services that have a `src/main.ts`, in start order. */
export const BUILT_SERVICES = ['auth', 'catalog', 'invoicing', 'document', 'notification', 'gateway'];

/** Where `npm run build` writes: `dist/<service>/main.js`. */
export const DIST = path.join(ROOT, 'dist');

/** The built entry point of a service. */
export function builtEntry(service: string, outdir = DIST): string {
  return path.join(outdir, service, 'main.js');
}

/** The package name of a bare import (`@scope/name/sub` → `@scope/name`, `name/sub` → `name`). */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The folder of the package a resolved file belongs to (the last `node_modules/<name>`). */
function packageFolder(file: string, name: string): string {
  const marker = `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) throw new Error(`cannot tell which package ${file} belongs to (expected ${name})`);
  return file.slice(0, at + marker.length - 1);
}

/**
 * Keeps third-party packages external and records, per package name, the folder the importing
 * source resolves it to; bundles `@invoice/*` and relative imports.
 */
function externalPackages(found: Map<string, Set<string>>): Plugin {
  return {
    name: 'external-packages',
    setup(plugin) {
      plugin.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'probe' || args.path.startsWith('@invoice/')) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const resolved = await plugin.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: 'probe',
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        const name = packageName(args.path);
        const folder = packageFolder(resolved.path, name);
        found.set(name, (found.get(name) ?? new Set()).add(folder));
        return { path: args.path, external: true };
      });
    },
  };
}

async function writeAtomically(file: string, contents: Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, file);
}

async function linkAtomically(link: string, target: string): Promise<void> {
  if ((await readlink(link).catch(() => undefined)) === target) return;
  await mkdir(path.dirname(link), { recursive: true });
  const temporary = `${link}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await symlink(target, temporary, 'dir');
  await rename(temporary, link);
}

/**
 * The worker-thread entries of a service: every `src/**\/*-thread.ts`, bundled beside `main.js` as
 * `<name>.js`, where the code that starts the thread finds it (`new URL('./<name>.js',
 * import.meta.url)` from the bundle; `./<name>.ts` beside its own source under tsx).
 */
function threadEntries(service: string): { in: string; out: string }[] {
  const source = path.join(ROOT, 'services', service, 'src');
  const entries = readdirSync(source, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('-thread.ts'))
    .map((entry) => ({
      in: path.join(entry.parentPath, entry.name),
      out: entry.name.slice(0, -'.ts'.length),
    }));
  const names = entries.map((entry) => entry.out);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new Error(`${service}: two thread entries are named ${twice}.ts`);
  return entries;
}

/**
 * Bundles one service into `<outdir>/<service>/main.js` (+ its thread entries, `.map` files and
 * links to nested packages).
 */
async function buildService(service: string, outdir: string): Promise<void> {
  const found = new Map<string, Set<string>>();
  const serviceDir = path.join(outdir, service);
  const result = await build({
    entryPoints: [
      { in: path.join(ROOT, 'services', service, 'src', 'main.ts'), out: 'main' },
      ...threadEntries(service),
    ],
    outdir: serviceDir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    sourcemap: 'linked',
    // Class and function names stay as written (error names, stack traces, anything reading `.name`).
    keepNames: true,
    // Parts of the bundle share one tsconfig: no decorators, no emitted type metadata.
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    plugins: [externalPackages(found)],
    write: false,
    logLevel: 'warning',
    legalComments: 'none',
  });
  const conflicts = [...found].filter(([, folders]) => folders.size > 1);
  if (conflicts.length > 0) {
    const list = conflicts.map(([name, folders]) => `${name}: ${[...folders].join(', ')}`).join('; ');
    throw new Error(`${service}: one package name resolves to different copies (${list})`);
  }
  await mkdir(serviceDir, { recursive: true });
  for (const file of result.outputFiles) await writeAtomically(file.path, file.contents);
  // A bare import from dist/<service>/ finds node_modules/<name> at the root: link the nested copies.
  for (const [name, folders] of found) {
    const folder = [...folders][0]!;
    const link = path.join(serviceDir, 'node_modules', name);
    const atRoot = path.join(ROOT, 'node_modules', name);
    const rootCopy = (() => {
      try {
        return realpathSync(atRoot);
      } catch {
        return undefined;
      }
    })();
    if (rootCopy === realpathSync(folder)) {
      await rm(link, { force: true });
      continue;
    }
    await linkAtomically(link, path.relative(path.dirname(link), folder));
  }
}

/** Bundles every service (or the ones named). Takes a second or two. */
export async function buildServices(
  options: { outdir?: string; services?: readonly string[] } = {},
): Promise<void> {
  const outdir = options.outdir ?? DIST;
  const startedAt = Date.now();
  await Promise.all((options.services ?? BUILT_SERVICES).map((service) => buildService(service, outdir)));
  if (!options.services) {
    await writeAtomically(
      path.join(outdir, BUILD_INFO),
      Buffer.from(JSON.stringify({ startedAt, services: BUILT_SERVICES })),
    );
  }
}

/** Written by a complete build: when it started (a source changed after that makes it stale). */
const BUILD_INFO = '.build-info.json';

/** What a bundle is made of: the TypeScript sources of the workspace, the lockfile and this script. */
function sourceFiles(): string[] {
  const folders = [
    path.join(ROOT, 'contracts', 'src'),
    ...['packages', 'services'].flatMap((group) =>
      readdirSync(path.join(ROOT, group)).map((name) => path.join(ROOT, group, name, 'src')),
    ),
  ];
  const files = [path.join(ROOT, 'package-lock.json'), path.join(ROOT, 'scripts', 'build.ts')];
  for (const folder of folders) {
    let entries;
    try {
      entries = readdirSync(folder, { recursive: true, withFileTypes: true });
    } catch {
      continue; // a workspace without src/
    }
    for (const entry of entries) if (entry.isFile()) files.push(path.join(entry.parentPath, entry.name));
  }
  return files;
}

/**
 * True when `dist/` holds a complete build that started after every source last changed (checked
 * by modification times, a few milliseconds).
 */
export function isBuildFresh(outdir = DIST): boolean {
  let startedAt: number;
  try {
    ({ startedAt } = JSON.parse(readFileSync(path.join(outdir, BUILD_INFO), 'utf8')) as {
      startedAt: number;
    });
    for (const service of BUILT_SERVICES) statSync(builtEntry(service, outdir));
  } catch {
    return false;
  }
  return sourceFiles().every((file) => statSync(file).mtimeMs < startedAt);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  try {
    await buildServices();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  console.log(
    `built ${BUILT_SERVICES.map((s) => `dist/${s}/main.js`).join(', ')} in ${Math.round(performance.now() - started)} ms`,
  );
}
