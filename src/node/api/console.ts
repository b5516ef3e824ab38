import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError } from './errors.js';

/** Where `npm run build` puts the console: dist/console, whether the node runs from dist or from source. */
export function consoleDirectory(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const root = here.includes(`${join('dist', 'src')}`) ? resolve(here, '../../../..') : resolve(here, '../../..');
  return join(root, 'dist', 'console');
}

/**
 * What the console's pages may do: scripts and styles from the node only, and requests to
 * the node only, so a script slipped into a page cannot send a signed-in user's data (or
 * their signatures) anywhere else. Inline styles are allowed for the component library.
 */
const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The web console at /console: static files, public (they hold no data; every call they make
 * is signed by the user's key). A node whose console was not built answers so.
 */
export async function consoleRoutes(app: FastifyInstance, directory = consoleDirectory()): Promise<void> {
  const built = existsSync(join(directory, 'index.html'));
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
      route.schema = { ...route.schema, hide: true };
    });
    scope.addHook('onSend', async (_request, reply) => {
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
      reply.header('x-content-type-options', 'nosniff');
    });
    if (!built) {
      scope.get('/console', async () => {
        throw new ApiError('not_found', `the console is not built on this node (no ${join(directory, 'index.html')}): run npm run build`);
      });
      return;
    }
    scope.get('/console', async (_request, reply) => reply.redirect('/console/'));
    await scope.register(fastifyStatic, {
      root: directory, prefix: '/console/', index: ['index.html'], cacheControl: false,
      // Built files are named by their content's hash and never change; the page that names them is asked for again each time.
      setHeaders: (response, path) => response.header('cache-control', path.includes(`${join('assets', '')}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
  });
}
