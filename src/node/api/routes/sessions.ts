import type { FastifyPluginAsync } from 'fastify';
import { viewerOf } from '../auth.js';
import { ApiError } from '../errors.js';
import type { Sessions } from '../sessions.js';

export const sessionRoutes = (sessions: Sessions): FastifyPluginAsync => async (app) => {
  // Single-use: the same signed sign-in sent twice opens one session, not two.
  app.post('/v1/sessions', {
    config: { singleUse: true },
    schema: { summary: 'Exchange a signed request for a bearer token bound to the signer (valid one hour); the signed request is single-use' },
  }, async (request, reply) => {
    if (request.headers.authorization !== undefined) throw new ApiError('authentication_required', 'a session is opened with a request signature, not with another token');
    const viewer = viewerOf(request);
    return reply.status(201).send(sessions.issue(viewer.participant.id, viewer.keyId, Date.now()));
  });
};
