import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { INSTRUCTION_STATUSES, literals } from '../../../core/index.js';
import type { Ledger } from '../../ledger.js';
import { viewerOf } from '../auth.js';
import { Id, PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../schemas.js';

/** How far ahead conflicts are looked for, in days. */
const Days = Type.Integer({ minimum: 1, maximum: 366, description: 'how many days ahead to look (default 31)' });

/** Standing instructions: their owner's (a delegate's, an overseer's) to see, and their conflicts. */
export const instructionRoutes = (ledger: Ledger): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/v1/instructions', {
    schema: {
      summary: "The caller's standing instructions (an overseer names the owner), by id, with their next dates",
      querystring: Type.Object({
        owner: Type.Optional(Id), status: Type.Optional(literals(INSTRUCTION_STATUSES)),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX })),
      }, { additionalProperties: false }),
    },
  }, async (request) => ledger.instructions.list(viewerOf(request), request.query.owner, request.query.status, request.query.limit ?? PAGE_LIMIT_DEFAULT));

  app.get('/v1/instructions/conflicts', {
    schema: {
      summary: "Conflicts among the caller's standing instructions in force: cycles of sweeps and top-ups, instructions that cannot run, two taking from one balance at the same time",
      querystring: Type.Object({ owner: Type.Optional(Id), days: Type.Optional(Days) }, { additionalProperties: false }),
    },
  }, async (request) => ledger.instructions.conflicts(viewerOf(request), request.query.owner, request.query.days ?? 31, ledger.now()));

  app.get('/v1/instructions/:id', {
    schema: { summary: 'A standing instruction: what it does, when it runs next, how its runs went', params: Type.Object({ id: Id }) },
  }, async (request) => ledger.instructions.one(viewerOf(request), request.params.id));
};
