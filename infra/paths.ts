import { fileURLToPath } from 'node:url';

/** The repository root: NodejsFunction bundles from here and finds the lock file here. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Absolute path of a file given relative to the repository root (e.g. a handler's entry). */
export function fromProjectRoot(relativePath: string): string {
  return fileURLToPath(new URL(`../${relativePath}`, import.meta.url));
}
