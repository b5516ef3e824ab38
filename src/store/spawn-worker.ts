import { Worker } from 'node:worker_threads';

/**
 * A worker thread from a module beside `base` (`name` without extension): the compiled
 * `.js` when this code runs compiled, else its TypeScript source through tsx (the tests
 * and the bench run the sources).
 */
export function spawnWorker(base: string, name: string, workerData: unknown): Worker {
  const compiled = base.endsWith('.js');
  const url = new URL(`./${name}.${compiled ? 'js' : 'ts'}`, base);
  if (compiled) return new Worker(url, { workerData });
  const load = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(load, { eval: true, workerData });
}
