import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { REJECTION_CODES, type RejectionCode } from '../../../core/index.js';
import { LedgerError } from '../../errors.js';
import { API_ERRORS, type ApiErrorCode } from '../errors.js';

/** What every `doc_url` points at: the code's status, type and what to do, from the same tables the node answers with. */
export const errorCatalogueRoutes = (): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/v1/errors/:code', {
    config: { public: true },
    schema: { summary: 'What an error or rejection code means and what to do about it', params: Type.Object({ code: Type.String({ pattern: '^[a-z_]{1,64}$' }) }) },
  }, async (request) => {
    const { code } = request.params;
    const rejection = (REJECTION_CODES as Record<string, (typeof REJECTION_CODES)[RejectionCode] | undefined>)[code];
    const api = (API_ERRORS as Record<string, (typeof API_ERRORS)[ApiErrorCode] | undefined>)[code];
    if (rejection === undefined && api === undefined) throw new LedgerError('invalid_request', `no error code "${code}" (see docs/errors.md)`, 'code');
    return {
      code,
      ...(api !== undefined && { http: { status: api.status, type: api.type }, resolution: api.resolution }),
      ...(rejection !== undefined && { rejection: { description: rejection.description, retryable: rejection.retryable, answeredAtAdmission: rejection.atAdmission } }),
    };
  });
};
