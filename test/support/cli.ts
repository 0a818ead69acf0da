/** Commands of the `iecmh` CLI run in the test's own process, with what they write caught. */
import { vi } from 'vitest';
import { personCommand } from '#local/person.js';

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command, catching standard output and standard error instead of printing them. */
export async function captured(command: () => Promise<number>): Promise<CommandRun> {
  const run = { code: -1, stdout: '', stderr: '' };
  const spies = (['stdout', 'stderr'] as const).map((stream) =>
    vi.spyOn(process[stream], 'write').mockImplementation((chunk) => {
      run[stream] += String(chunk);
      return true;
    }),
  );
  try {
    run.code = await command();
    return run;
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

/** `iecmh person ARGS --state STATE`: its exit code and what it printed. */
export function personRun(args: string[], state: string): Promise<CommandRun> {
  return captured(() => personCommand([...args, '--state', state]));
}
