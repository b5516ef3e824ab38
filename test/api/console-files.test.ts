import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { consoleRoutes } from '../../src/node/api/console.js';
import { installFailureHandling } from '../../src/node/api/failures.js';
import { tempDir } from '../helpers.js';

/** An app with the console's routes over `directory`, and a route that only a signed-in caller may reach. */
async function appOver(directory: string) {
  const app = Fastify();
  installFailureHandling(app);
  app.addHook('preValidation', async (request, reply) => {
    if (request.routeOptions.config.public !== true) return reply.code(401).send({ error: { code: 'authentication_failed' } });
  });
  app.get('/v1/secret', async () => ({ secret: true }));
  await consoleRoutes(app, directory);
  return app;
}

describe('the console files the node serves', () => {
  it('serves the built console publicly under a policy that keeps its scripts and requests on the node; built assets are cached for good, the page never', async () => {
    const dir = tempDir();
    try {
      mkdirSync(join(dir.path, 'assets'));
      writeFileSync(join(dir.path, 'index.html'), '<!doctype html><title>console</title>');
      writeFileSync(join(dir.path, 'assets', 'index-abc123.js'), 'export {};');
      const app = await appOver(dir.path);
      const redirect = await app.inject('/console');
      assert.equal(redirect.statusCode, 302);
      assert.equal(redirect.headers.location, '/console/');
      const page = await app.inject('/console/');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<title>console<\/title>/);
      assert.match(String(page.headers['content-security-policy']), /default-src 'self'; script-src 'self';.*connect-src 'self'; frame-ancestors 'none'/);
      assert.equal(page.headers['cache-control'], 'no-cache');
      const asset = await app.inject('/console/assets/index-abc123.js');
      assert.equal(asset.statusCode, 200);
      assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
      // Outside its directory nothing is served, and the API stays behind its authentication.
      assert.notEqual((await app.inject('/console/../package.json')).statusCode, 200);
      assert.notEqual((await app.inject('/console/%2e%2e/%2e%2e/package.json')).statusCode, 200);
      assert.equal((await app.inject('/v1/secret')).statusCode, 401);
      await app.close();
    } finally {
      dir.remove();
    }
  });

  it('says how to build it when it was not built', async () => {
    const dir = tempDir();
    try {
      const app = await appOver(join(dir.path, 'missing'));
      const answer = await app.inject('/console');
      assert.equal(answer.statusCode, 404);
      assert.match(answer.json().error.message, /the console is not built on this node.*npm run build/);
      await app.close();
    } finally {
      dir.remove();
    }
  });
});
