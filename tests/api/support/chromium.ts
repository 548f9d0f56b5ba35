/** Headless Chromium (Debian's `chromium` package) for tests that look at a page as a browser does. */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** The Chromium binary: `CHROMIUM_PATH`, else the first of the usual names on `PATH`, else undefined. */
export function findChromium(): string | undefined {
  const candidates = process.env.CHROMIUM_PATH
    ? [process.env.CHROMIUM_PATH]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .flatMap((directory) => NAMES.map((name) => join(directory, name)));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * The DOM of `url` after its scripts ran (up to `budgetMs` of virtual time), as headless Chromium
 * serializes it. A throw-away profile each time; no sandbox, since CI runs as root.
 */
export async function renderedDom(chromium: string, url: string, budgetMs = 15_000): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-'));
  try {
    const { stdout } = await run(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        `--virtual-time-budget=${budgetMs}`,
        '--dump-dom',
        url,
      ],
      { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
