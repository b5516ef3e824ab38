import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { WorkerRequests } from '../../src/store/worker-requests.js';

/** A thread that answers `{ id, n }` with `{ id, double }`, and `{ id, n: 'fail' }` with `{ id, error }`. */
const ECHO = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, n }) => parentPort.postMessage(n === 'fail' ? { id, error: 'refused' } : { id, double: n * 2 }));
`;

describe('requests to a worker thread, answered by id', () => {
  const worker = new Worker(ECHO, { eval: true });
  const requests = new WorkerRequests<number>(worker);
  worker.on('message', (reply: { id: number; double?: number; error?: string }) =>
    requests.settle(reply.id, reply.error === undefined ? { value: reply.double! } : { error: new Error(reply.error) }));
  after(() => worker.terminate());

  it('answers each request with its own reply, and counts those still waiting', async () => {
    const answers = [1, 2, 3].map((n) => requests.send((id) => ({ id, n })));
    assert.equal(requests.waiting, 3);
    assert.deepEqual(await Promise.all(answers), [2, 4, 6]);
    assert.equal(requests.waiting, 0);
  });

  it('rejects a request the thread refused, and only that one', async () => {
    const [good, bad] = [requests.send((id) => ({ id, n: 5 })), requests.send((id) => ({ id, n: 'fail' }))];
    assert.equal(await good, 10);
    await assert.rejects(bad, /refused/);
    assert.equal(requests.waiting, 0);
  });

  it('rejects a request that cannot be sent (a value that cannot be copied to the thread), leaving nothing waiting', async () => {
    await assert.rejects(requests.send((id) => ({ id, n: () => 1 })), { name: 'DataCloneError' });
    assert.equal(requests.waiting, 0);
    assert.equal(await requests.send((id) => ({ id, n: 21 })), 42, 'the thread still answers');
  });

  it('fails every request still waiting at once, and ignores their late answers', async () => {
    const answers = [7, 8].map((n) => requests.send((id) => ({ id, n })));
    requests.failAll(new Error('the thread stopped'));
    assert.equal(requests.waiting, 0);
    for (const answer of answers) await assert.rejects(answer, /the thread stopped/);
    // The thread's replies to them arrive after: nothing is settled twice.
    assert.equal(await requests.send((id) => ({ id, n: 4 })), 8);
  });
});
