import type { FastifyInstance, RouteOptions } from 'fastify';
import type { TSchema } from 'typebox';
import * as W from '../../wire/index.js';

/**
 * What each route answers, by method and path: its operation id, tag and response
 * schemas (src/wire). Declared here, one table, and attached to the routes as they are
 * registered, so the OpenAPI document describes every answer; a test checks every real
 * answer against them (response-check.ts). Errors are the one error shape everywhere.
 */
const RESPONSES: Readonly<Record<string, { operationId: string; tag: string; responses: Readonly<Record<number, TSchema>> }>> = {
  'GET /v1/network': { operationId: 'getNetwork', tag: 'chain', responses: { 200: W.NetworkInfo } },
  'GET /v1/genesis': { operationId: 'getGenesis', tag: 'chain', responses: { 200: W.Genesis } },
  'GET /v1/blocks': { operationId: 'listBlocks', tag: 'chain', responses: { 200: W.Page(W.SignedBlock) } },
  'GET /v1/blocks/:height': { operationId: 'getBlock', tag: 'chain', responses: { 200: W.SignedBlock } },
  'GET /v1/blocks/:height/transactions': { operationId: 'listBlockTransactions', tag: 'chain', responses: { 200: W.BlockTransactions } },
  'GET /v1/replication': { operationId: 'replicate', tag: 'chain', responses: { 200: W.ReplicationPage } },
  'GET /v1/accounts': { operationId: 'listAccounts', tag: 'accounts', responses: { 200: W.Page(W.AccountBalance) } },
  'GET /v1/accounts/:id': { operationId: 'getAccount', tag: 'accounts', responses: { 200: W.AccountBalance } },
  'GET /v1/accounts/:id/balance': { operationId: 'getBalanceAt', tag: 'accounts', responses: { 200: W.BalanceAt } },
  'GET /v1/accounts/:id/transactions': { operationId: 'listAccountHistory', tag: 'accounts', responses: { 200: W.CursorPage(W.HistoryLine) } },
  'GET /v1/holds': { operationId: 'listHolds', tag: 'accounts', responses: { 200: W.Page(W.HoldInfo) } },
  'GET /v1/holds/:id': { operationId: 'getHold', tag: 'accounts', responses: { 200: W.HoldInfo } },
  'GET /v1/conditional-payments': { operationId: 'listConditionalPayments', tag: 'accounts', responses: { 200: W.Page(W.ConditionalPaymentInfo) } },
  'GET /v1/conditional-payments/:id': { operationId: 'getConditionalPayment', tag: 'accounts', responses: { 200: W.ConditionalPaymentInfo } },
  'POST /v1/simulate': { operationId: 'simulate', tag: 'transactions', responses: { 200: W.Simulation } },
  'GET /v1/payee-check': { operationId: 'checkPayee', tag: 'accounts', responses: { 200: W.PayeeCheck } },
  'GET /v1/settlements': { operationId: 'listSettlements', tag: 'accounts', responses: { 200: W.Page(W.SettlementInfo) } },
  'GET /v1/settlements/:id': { operationId: 'getSettlement', tag: 'accounts', responses: { 200: W.SettlementInfo } },
  'GET /v1/proposals': { operationId: 'listProposals', tag: 'accounts', responses: { 200: W.Page(W.ProposalInfo) } },
  'GET /v1/proposals/:id': { operationId: 'getProposal', tag: 'accounts', responses: { 200: W.ProposalInfo } },
  'GET /v1/instructions': { operationId: 'listInstructions', tag: 'accounts', responses: { 200: W.Page(W.InstructionInfo) } },
  'GET /v1/instructions/conflicts': { operationId: 'getInstructionConflicts', tag: 'accounts', responses: { 200: W.InstructionConflicts } },
  'GET /v1/instructions/:id': { operationId: 'getInstruction', tag: 'accounts', responses: { 200: W.InstructionInfo } },
  'GET /v1/par/members': { operationId: 'listParMembers', tag: 'directory', responses: { 200: W.Page(W.ParMember) } },
  'GET /v1/par/net': { operationId: 'getNetSettlement', tag: 'accounts', responses: { 200: W.NetSettlement } },
  'GET /v1/accounts/:id/policy': { operationId: 'getAccountPolicy', tag: 'accounts', responses: { 200: W.AccountPolicyInfo } },
  'GET /v1/assets': { operationId: 'listAssets', tag: 'directory', responses: { 200: W.Page(W.AssetSupply) } },
  'GET /v1/assets/:id': { operationId: 'getAsset', tag: 'directory', responses: { 200: W.AssetSupply } },
  'GET /v1/assets/:id/reserves': { operationId: 'getAssetReserves', tag: 'directory', responses: { 200: W.AssetReserves } },
  'GET /v1/participants': { operationId: 'listParticipants', tag: 'directory', responses: { 200: W.Page(W.ParticipantEntry) } },
  'GET /v1/participants/:id': { operationId: 'getParticipant', tag: 'directory', responses: { 200: W.ParticipantEntry } },
  'GET /v1/errors/:code': { operationId: 'getErrorCode', tag: 'errors', responses: { 200: W.ErrorCode } },
  'GET /v1/events': { operationId: 'listEvents', tag: 'events', responses: { 200: W.CursorPage(W.LedgerEvent) } },
  'POST /v1/sessions': { operationId: 'openSession', tag: 'sessions', responses: { 201: W.Session } },
  'POST /v1/transactions': { operationId: 'submitTransaction', tag: 'transactions', responses: { 200: W.Submission, 202: W.Submission } },
  'GET /v1/transactions': { operationId: 'findTransaction', tag: 'transactions', responses: { 200: W.TransactionRecord } },
  'GET /v1/transactions/:hash': { operationId: 'getTransaction', tag: 'transactions', responses: { 200: W.TransactionRecord } },
  'GET /v1/transactions/:hash/receipt': { operationId: 'getReceipt', tag: 'transactions', responses: { 200: W.Receipt } },
};

const ERRORS = { '4xx': W.ErrorEnvelope, '5xx': W.ErrorEnvelope };

/**
 * Attaches each route's answers as it is registered (call before registering routes).
 * A module's routes declare their own; every visible route gets the error shape and, when
 * it is public, no security requirement.
 */
export function describeResponses(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = (route.schema ??= {}) as Record<string, unknown>;
    if (schema['hide'] === true || route.method === 'HEAD') return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const known = RESPONSES[`${methods[0]} ${route.url}`];
    if (known !== undefined) {
      schema['operationId'] ??= known.operationId;
      schema['tags'] ??= [known.tag];
    }
    schema['response'] = { ...known?.responses, ...(schema['response'] as object | undefined), ...ERRORS };
    if (route.config?.public === true) schema['security'] = [];
  });
}
