import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { INCOTERMS_2020 } from '../agreement.js';
import { completeDraft, draftAgreement, type Draft, type DraftFields, type DraftOptions } from './combine.js';
import { languageOf, type Message } from './transcript.js';

/** Where a draft came from, and why a model's answer was set aside. */
export type SourcedDraft = Draft & { readonly provider: string; readonly fallback?: string };

/** Reads a conversation into a draft: offline by rules, or by a language model. */
export interface DraftProvider {
  readonly name: string;
  draft(messages: readonly Message[], options: DraftOptions): Promise<SourcedDraft>;
}

export const offlineProvider: DraftProvider = {
  name: 'offline',
  draft: (messages, options) => Promise.resolve({ ...draftAgreement(messages, options), provider: 'offline' }),
};

const Sourced = <T extends TSchema>(value: T) =>
  Type.Object({ value, quote: Type.String({ maxLength: 1000 }), message: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]), confidence: Type.Number({ minimum: 0, maximum: 1 }) }, { additionalProperties: false });
const Decimal = Type.String({ pattern: '^\\d+(\\.\\d+)?$' });

/** The JSON a model must answer with: the drafter's fields, each with its source quote and confidence, and the contradictions. */
export const ModelAnswerSchema = Type.Object({
  fields: Type.Object({
    buyer: Type.Optional(Sourced(Type.String({ minLength: 1 }))),
    seller: Type.Optional(Sourced(Type.String({ minLength: 1 }))),
    currency: Type.Optional(Sourced(Type.String({ pattern: '^[A-Z]{3}$' }))),
    settlementCurrency: Type.Optional(Sourced(Type.String({ pattern: '^[A-Z]{3}$' }))),
    goods: Type.Array(Sourced(Type.Object({ description: Type.String({ minLength: 1, maxLength: 500 }), quantity: Decimal, unit: Type.String({ minLength: 1, maxLength: 20 }), unitPrice: Type.Union([Decimal, Type.Null()]), hsCode: Type.Optional(Type.String({ pattern: '^[0-9]{4,10}$' })) }, { additionalProperties: false })), { maxItems: 100 }),
    incoterms: Type.Optional(Sourced(Type.Object({ rule: Type.Unsafe<string>({ type: 'string', enum: Object.keys(INCOTERMS_2020) }), place: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }))),
    deliveryDate: Type.Optional(Sourced(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }))),
    milestones: Type.Array(Sourced(Type.Object({ shareBp: Type.Integer({ minimum: 1, maximum: 10_000 }), trigger: Type.Union([Type.Literal('signing'), Type.Literal('shipment'), Type.Literal('inspection'), Type.Literal('delivery')]) }, { additionalProperties: false })), { maxItems: 16 }),
    disputeWindowDays: Type.Optional(Sourced(Type.Integer({ minimum: 0, maximum: 180 }))),
    arbiter: Type.Optional(Sourced(Type.String({ minLength: 1, maxLength: 200 }))),
  }, { additionalProperties: false }),
  contradictions: Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 50 }),
}, { additionalProperties: false });
export type ModelAnswer = Static<typeof ModelAnswerSchema>;

const INSTRUCTIONS = [
  'You read a conversation between a buyer and a seller and extract the trade they agreed, as JSON only, matching this JSON Schema:',
  JSON.stringify(ModelAnswerSchema),
  'Each field has `value`, `quote` (the exact words of the conversation it comes from), `message` (the 0-based index of that message) and `confidence` (0 to 1).',
  'Amounts are decimals with a point and no separators; quantities likewise. shareBp is the share in basis points (30% is 3000). trigger is signing, shipment, inspection or delivery.',
  'buyer and seller are the speakers\' names as written. Leave out what the conversation does not say; list in `contradictions` what it says two ways without settling it.',
].join('\n');

const transcriptText = (messages: readonly Message[]) => messages.map((m) => `[${m.index}] ${m.speaker}: ${m.text}`).join('\n');

/** How to reach a model: an OpenAI-compatible chat completions endpoint (OpenAI, Ollama, vLLM…) or Anthropic's messages API. */
export interface ModelSettings {
  readonly kind: 'openai' | 'anthropic';
  /** Base URL: `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1` (Ollama), `https://api.anthropic.com`. */
  readonly url: string;
  readonly model: string;
  readonly key?: string;
  readonly timeoutMs?: number;
}

class AnswerError extends Error {}

async function ask(settings: ModelSettings, messages: readonly Message[]): Promise<string> {
  const signal = AbortSignal.timeout(settings.timeoutMs ?? 30_000);
  const base = settings.url.replace(/\/+$/, '');
  const request = settings.kind === 'openai'
    ? { url: `${base}/chat/completions`, headers: { ...(settings.key !== undefined && { authorization: `Bearer ${settings.key}` }) }, body: { model: settings.model, temperature: 0, response_format: { type: 'json_object' }, messages: [{ role: 'system', content: INSTRUCTIONS }, { role: 'user', content: transcriptText(messages) }] } }
    : { url: `${base}/v1/messages`, headers: { 'anthropic-version': '2023-06-01', ...(settings.key !== undefined && { 'x-api-key': settings.key }) }, body: { model: settings.model, max_tokens: 4096, temperature: 0, system: INSTRUCTIONS, messages: [{ role: 'user', content: transcriptText(messages) }] } };
  const response = await fetch(request.url, { method: 'POST', headers: { 'content-type': 'application/json', ...request.headers }, body: JSON.stringify(request.body), signal });
  const text = await response.text();
  if (!response.ok) throw new AnswerError(`the model's endpoint answered ${response.status}: ${text.slice(0, 200)}`);
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new AnswerError('the model\'s endpoint did not answer JSON');
  }
  const content = settings.kind === 'openai'
    ? (payload as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content
    : (payload as { content?: { type?: string; text?: unknown }[] }).content?.find((block) => block.type === 'text')?.text;
  if (typeof content !== 'string') throw new AnswerError('the answer carries no text');
  return content;
}

/** The model's text as the answer's JSON (a fenced block is unwrapped), checked against the schema. */
export function parseModelAnswer(content: string): ModelAnswer {
  const unfenced = /```(?:json)?\s*([\s\S]*?)```/.exec(content)?.[1] ?? content;
  let value: unknown;
  try {
    value = JSON.parse(unfenced);
  } catch {
    throw new AnswerError('the answer is not JSON');
  }
  if (!Value.Check(ModelAnswerSchema, value)) {
    const first = [...Value.Errors(ModelAnswerSchema, value)][0];
    throw new AnswerError(`the answer does not match the schema: ${first === undefined ? 'invalid' : `${first.instancePath || '/'} ${first.message}`}`);
  }
  return value;
}

/**
 * A provider asking a language model, checked: an answer that is not JSON, does not match
 * the schema, or never comes is set aside for the offline draft, with the reason.
 */
export function modelProvider(settings: ModelSettings): DraftProvider {
  return {
    name: `${settings.kind}:${settings.model}`,
    async draft(messages, options) {
      try {
        const answer = parseModelAnswer(await ask(settings, messages));
        return { ...completeDraft(messages, languageOf(messages), answer.fields as DraftFields, answer.contradictions, options), provider: `${settings.kind}:${settings.model}` };
      } catch (error) {
        const reason = error instanceof AnswerError ? error.message : `the model could not be reached: ${(error as Error).message}`;
        return { ...draftAgreement(messages, options), provider: 'offline', fallback: reason };
      }
    },
  };
}

/** The provider the environment names (DEPOSITUM_TRADE_PROVIDER = offline | openai | anthropic, with _URL, _MODEL, _KEY), offline by default. */
export function providerFromEnvironment(env: NodeJS.ProcessEnv = process.env): DraftProvider {
  const kind = env['DEPOSITUM_TRADE_PROVIDER'] ?? 'offline';
  if (kind === 'offline') return offlineProvider;
  if (kind !== 'openai' && kind !== 'anthropic') throw new Error(`DEPOSITUM_TRADE_PROVIDER is offline, openai or anthropic, not "${kind}"`);
  const url = env['DEPOSITUM_TRADE_LLM_URL'] ?? (kind === 'openai' ? 'https://api.openai.com/v1' : 'https://api.anthropic.com');
  const model = env['DEPOSITUM_TRADE_LLM_MODEL'];
  if (model === undefined || model === '') throw new Error('DEPOSITUM_TRADE_LLM_MODEL names the model');
  const key = env['DEPOSITUM_TRADE_LLM_KEY'];
  return modelProvider({ kind, url, model, ...(key !== undefined && key !== '' && { key }) });
}
