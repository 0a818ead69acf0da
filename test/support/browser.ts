/**
 * Headless Chromium for the browser tests, driven by playwright-core. The browser comes from the npm registry
 * (`@sparticuz/chromium`, a self-contained headless Chromium for x86_64 Linux), so no system package is needed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import sparticuz from '@sparticuz/chromium';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Where screenshots are kept (git-ignored). */
export const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'test-artifacts');

/**
 * @sparticuz/chromium's flags are made for AWS Lambda; these are left out. `--single-process` (needed there) hangs
 * the second `browser.newPage()` of a test file here. The other two would hide from the tests what a user's browser
 * refuses (cross-origin requests without CORS, mixed content).
 */
const DROPPED = new Set(['--single-process', '--disable-web-security', '--allow-running-insecure-content']);

/** Our flags, added to @sparticuz/chromium's: headless, and nothing reaches out to the network on its own. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches the npm registry's headless Chromium; fails (never skips) with the reason when it cannot start. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = await unpackedChromium();
  try {
    return await chromium.launch({
      executablePath,
      headless: true,
      args: [...new Set([...sparticuz.args.filter((a) => !DROPPED.has(a)), ...FLAGS])],
    });
  } catch (e) {
    throw new Error(`The headless Chromium from @sparticuz/chromium (${executablePath}) did not start: ${message(e)}`, {
      cause: e,
    });
  }
}

/**
 * The path of the Chromium binary, unpacked once per machine, package version and user into
 * `<tmpdir>/iecmh-chromium-<version>-<uid>/`.
 *
 * `@sparticuz/chromium` unpacks into the bare temp folder and trusts any `chromium` file it finds there, so two test
 * files launching at once (Vitest forks) could run, or overwrite, a half-written binary. Here each process unpacks
 * into a staging folder of its own (a child process with TMPDIR pointing there) and renames it into place, which is
 * atomic: a process sees either no folder or a complete one; the loser of a race drops its copy.
 */
async function unpackedChromium(): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `The browser tests use @sparticuz/chromium, which ships Chromium for x86_64 Linux only; this is ${process.platform}-${process.arch}.`,
    );
  }
  const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const folder = join(tmpdir(), `iecmh-chromium-${version}-${process.getuid?.() ?? 0}`);
  const binary = join(folder, 'chromium');
  if (existsSync(binary)) return binary;

  const staging = mkdtempSync(`${folder}.partial-`);
  try {
    const script = `const { default: c } = await import(${JSON.stringify(pathToFileURL(entry).href)});
process.stdout.write(await c.executablePath());`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, TMPDIR: staging },
      timeout: 120_000,
    });
    if (stdout !== join(staging, 'chromium')) throw new Error(`it unpacked to ${stdout}, not into ${staging}`);
    try {
      renameSync(staging, folder);
    } catch (e) {
      if (!existsSync(binary)) throw e; // else another process put its complete copy there first
    }
  } catch (e) {
    throw new Error(`Could not unpack the headless Chromium of @sparticuz/chromium ${version}: ${message(e)}`, {
      cause: e,
    });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Collects console errors, page errors and failed requests of a page. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return problems;
}

/** The path of an artifact file, creating the folder. */
export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
