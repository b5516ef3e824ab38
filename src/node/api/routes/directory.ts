import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LedgerError } from '../../errors.js';
import type { Ledger } from '../../ledger.js';
import { viewerOf } from '../auth.js';
import { paginate, sortedById } from '../pagination.js';
import { Id, PageQuery } from '../schemas.js';
import { assetView, participantView, reservesView } from '../../views.js';

export const directoryRoutes = (ledger: Ledger): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/v1/assets', { schema: { summary: 'Assets with their supply (issued − redeemed), by id', querystring: PageQuery } }, async (request) => {
    const page = paginate(sortedById(ledger.state.assets.values()), (asset) => asset.id, request.query);
    return { data: page.data.map(assetView), has_more: page.has_more };
  });

  app.get('/v1/assets/:id', { schema: { summary: 'One asset with its supply', params: Type.Object({ id: Id }) } }, async (request) => {
    const asset = ledger.state.assets.get(request.params.id);
    if (asset === undefined) throw new LedgerError('asset_not_found', `no asset ${request.params.id}`, 'id');
    return assetView(asset);
  });

  app.get('/v1/assets/:id/reserves', { schema: { summary: "An asset's reserve manager, the throttle on its minting, its daily reserve attestations (newest first) and, for its issuer, manager and overseers, its minters' allowances", params: Type.Object({ id: Id }) } }, async (request) => {
    const viewer = viewerOf(request);
    const asset = ledger.state.assets.get(request.params.id);
    if (asset === undefined) throw new LedgerError('asset_not_found', `no asset ${request.params.id}`, 'id');
    const mandate = ledger.state.reserve_mandates.get(asset.id);
    const insider = viewer.seesAll || viewer.participant.id === asset.issuer || viewer.participant.id === mandate?.manager;
    return reservesView(ledger.state, asset, insider);
  });

  app.get('/v1/participants', { schema: { summary: 'The network directory, by id', querystring: PageQuery } }, async (request) => {
    const viewer = viewerOf(request);
    const page = paginate(sortedById(ledger.state.participants.values()), (p) => p.id, request.query);
    return { data: page.data.map((p) => participantView(p, viewer.seesAll || p.id === viewer.participant.id)), has_more: page.has_more };
  });

  app.get('/v1/participants/:id', { schema: { summary: 'One participant; KYC details for itself and overseers', params: Type.Object({ id: Id }) } }, async (request) => {
    const viewer = viewerOf(request);
    const participant = ledger.state.participants.get(request.params.id);
    if (participant === undefined) throw new LedgerError('participant_not_found', `no participant ${request.params.id}`, 'id');
    return participantView(participant, viewer.seesAll || participant.id === viewer.participant.id);
  });
};
