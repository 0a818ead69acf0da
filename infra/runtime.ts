/**
 * What every function's Node process is started with beyond its handler's own variables, kept here
 * so that the benchmark runs the jobs as the stack deploys them (scripts/bench.ts).
 *
 * MALLOC_ARENA_MAX: glibc gives each thread that allocates (V8's garbage-collector and compiler
 * threads, libuv's pool) an arena of its own, and memory freed in those is seldom given back. Over a
 * long job the process grew by some 25 MB that no JavaScript held: the renewal job at 200,000 people
 * went from 165 to 196 MB while its heap stayed flat. Two arenas keep that growth away at no
 * measurable cost in time (docs/benchmarks.md); the same setting is common advice for Node in
 * containers.
 */
export const RUNTIME_ENVIRONMENT: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
};
