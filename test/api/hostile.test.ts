import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { AUTH_HEADERS, signedRequestHeaders } from '../../src/chain/index.js';
import { encodeEntity, TABLE_NAMES, type Operation } from '../../src/core/index.js';
import { API_ERRORS } from '../../src/node/api/errors.js';
import { signerOf } from '../helpers.js';
import { apiFixture, type ApiFixture } from './fixture.js';

/** What must hold of every answer to a failed request: the one error shape, with a documented code, and never a 5xx. */
function assertErrorShape(status: number, body: any, context: string): void {
  assert.ok(status < 500, `${context}: answered ${status} ${JSON.stringify(body)}`);
  assert.equal(typeof body?.error, 'object', `${context}: no error object in ${JSON.stringify(body)}`);
  const { type, code, message, request_id: requestId, doc_url: docUrl } = body.error;
  assert.ok(code in API_ERRORS, `${context}: undocumented code ${code}`);
  assert.equal(API_ERRORS[code as keyof typeof API_ERRORS].status, status, `${context}: ${code} with status ${status}`);
  assert.equal(type, API_ERRORS[code as keyof typeof API_ERRORS].type);
  assert.equal(typeof message, 'string');
  assert.equal(typeof requestId, 'string');
  assert.equal(docUrl, `/v1/errors/${code}`);
}

/** A raw HTTP exchange over a socket: the request head, then `bodyBytes` of body written in full before reading. */
function rawExchange(port: number, head: string, bodyBytes = 0): Promise<{ status: number; body: any; reset: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let reset = false;
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('error', () => (reset = true));
    socket.on('close', () => {
      const [statusLine = '', ...rest] = received.split('\r\n');
      const text = rest.join('\r\n').split('\r\n\r\n').slice(1).join('\r\n\r\n');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), body, reset });
    });
    socket.write(head);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = (): void => {
      while (sent < bodyBytes) {
        const part = chunk.subarray(0, Math.min(chunk.length, bodyBytes - sent));
        sent += part.length;
        if (!socket.write(part)) return void socket.once('drain', pump);
      }
    };
    pump();
  });
}

describe('hostile requests', () => {
  let f: ApiFixture;
  let port: number;
  const dump = (): string => TABLE_NAMES.map((t) => [...f.t.ledger.state.table(t)].map(([id, e]) => `${id}=${encodeEntity(t, e as never)}`).join(',')).join('|');

  before(async () => {
    f = await apiFixture();
    await f.t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '1000.00', depositReference: 'DEP-H1' }]);
    await f.app.listen({ host: '127.0.0.1', port: 0 });
    const address = f.app.server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });
  after(() => f.close());

  describe('every failure has the one shape', () => {
    for (const [path, status, code] of [['/v1/accounts/%', 400, 'invalid_request'], ['/v1/accounts/%ZZ', 400, 'invalid_request'], [`/v1/accounts/${'a'.repeat(5000)}`, 414, 'uri_too_long']] as const) {
      it(`GET ${path.slice(0, 24)}… → ${status} ${code}`, async () => {
        const response = await f.call('acme', 'GET', path);
        assertErrorShape(response.status, response.json, path);
        assert.equal(response.status, status);
        assert.equal(response.json.error.code, code);
      });
    }

    it('a 100,000-character path → 431 in the one shape', async () => {
      const answer = await rawExchange(port, `GET /v1/accounts/${'a'.repeat(100_000)} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`);
      assertErrorShape(answer.status, answer.body, 'long path');
      assert.equal(answer.body.error.code, 'request_header_fields_too_large');
    });

    for (const mib of [5, 20]) {
      it(`a ${mib} MiB body → 413 payload_too_large, read by the client in full (no reset)`, async () => {
        const bytes = mib * 1024 * 1024;
        const answer = await rawExchange(port, `POST /v1/transactions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${bytes}\r\n\r\n`, bytes);
        assert.equal(answer.status, 413, JSON.stringify(answer));
        assertErrorShape(answer.status, answer.body, `${mib} MiB`);
        assert.equal(answer.body.error.code, 'payload_too_large');
      });
    }

    it('an unknown route and an unknown error code', async () => {
      const route = await f.call('acme', 'GET', '/v1/nowhere');
      assertErrorShape(route.status, route.json, 'route');
      const doc = await f.call(null, 'GET', '/v1/errors/account_not_found');
      assert.equal(doc.status, 200);
      assert.equal(doc.json.http.status, 404);
      assert.equal(doc.json.rejection.answeredAtAdmission, true);
    });
  });

  describe('signed requests that create something are single-use', () => {
    it('the same signed sign-in sent twice opens one session', async () => {
      const headers = await signedRequestHeaders(signerOf(f.t.network, 'acme'), 'POST', '/v1/sessions', '');
      const first = await f.app.inject({ method: 'POST', url: '/v1/sessions', headers });
      assert.equal(first.statusCode, 201);
      const replayed = await f.app.inject({ method: 'POST', url: '/v1/sessions', headers });
      assertErrorShape(replayed.statusCode, JSON.parse(replayed.body), 'replayed sign-in');
      assert.equal(JSON.parse(replayed.body).error.code, 'request_replayed');
      // A new signature of the same request is a new sign-in.
      assert.equal((await f.call('acme', 'POST', '/v1/sessions')).status, 201);
    });
  });

  const pay = (extra: Record<string, unknown>) => f.envelope('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00' }], extra);

  describe('text, references and encodings', () => {
    const refused: [string, Record<string, unknown>, string][] = [
      ['a NUL in a reference', { reference: 'INV\u0000-1' }, 'body.reference'],
      ['a control character in a memo', { memo: 'line one\u0007' }, 'body.memo'],
      ['a bidirectional override in a memo', { memo: 'pay \u202Eevil' }, 'body.memo'],
      ['a reference of 36 characters that is not a UETR', { reference: 'A'.repeat(36) }, 'body.reference'],
      ['a reference with //', { reference: 'INV//2026' }, 'body.reference'],
      ['a reference starting with /', { reference: '/INV-2026' }, 'body.reference'],
      ['a reference with a character outside FIN X', { reference: 'INV_2026' }, 'body.reference'],
    ];
    for (const [name, extra, param] of refused) {
      it(`${name} → 400 invalid_request, nothing recorded`, async () => {
        const height = f.t.ledger.engine.head?.header.height;
        const response = await f.call('acme', 'POST', '/v1/transactions', await pay(extra));
        assertErrorShape(response.status, response.json, name);
        assert.equal(response.json.error.code, 'invalid_request');
        assert.equal(response.json.error.param, param);
        assert.equal(f.t.ledger.engine.head?.header.height, height);
      });
    }

    it('accepts an ISO 20022 end-to-end id and a UETR', async () => {
      for (const reference of ["INV-2026/0042 (Q1) 'A'+B", 'eb6305c9-1f7f-49de-aed0-16487c27b42d']) {
        const response = await f.call('acme', 'POST', '/v1/transactions', await pay({ reference }));
        assert.equal(response.status, 200, JSON.stringify(response.json));
      }
    });

    it('refuses a body in another charset (415) or not in UTF-8 (400), and a media type it does not read (415)', async () => {
      const envelope = JSON.stringify(await pay({}));
      const utf16 = await f.call('acme', 'POST', '/v1/transactions', envelope, { 'content-type': 'application/json; charset=utf-16' });
      assertErrorShape(utf16.status, utf16.json, 'utf-16');
      assert.equal(utf16.json.error.code, 'unsupported_media_type');
      const latin1 = await f.app.inject({ method: 'POST', url: '/v1/transactions', headers: { 'content-type': 'application/json' }, payload: Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]) });
      assertErrorShape(latin1.statusCode, JSON.parse(latin1.body), 'latin-1 bytes');
      assert.equal(JSON.parse(latin1.body).error.code, 'malformed_json');
      const text = await f.call('acme', 'POST', '/v1/transactions', envelope, { 'content-type': 'text/plain' });
      assertErrorShape(text.status, text.json, 'text/plain');
      assert.equal(text.json.error.code, 'unsupported_media_type');
    });
  });

  describe('a generated corpus (fast-check)', () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('', '%', '%00', '../', 'a'.repeat(300), '\u0000', '1e400', '-0', 'null'));
    const json = fc.jsonValue({ maxDepth: 4 });

    it('paths: never a 5xx, always the one shape on failure, and the ledger unchanged', async () => {
      const before = dump();
      await fc.assert(fc.asyncProperty(fc.constantFrom('/v1/accounts/', '/v1/transactions/', '/v1/holds/', '/v1/blocks/', '/v1/participants/', '/v1/assets/', '/v1/'), text, fc.constantFrom('', '?limit=', '?starting_after=', '?owner='), text, async (prefix, segment, query, value) => {
        const path = `${prefix}${encodeURIComponent(segment)}${query}${query === '' ? '' : encodeURIComponent(value)}`;
        const response = await f.call('acme', 'GET', path);
        if (response.status >= 400) assertErrorShape(response.status, response.json, path);
        else assert.ok(response.status < 300, `${path}: ${response.status}`);
      }), { numRuns: 300 });
      assert.equal(dump(), before);
    });

    it('bodies: mutations of a signed transaction and arbitrary JSON are refused in the one shape, the ledger unchanged', async () => {
      const before = { height: f.t.ledger.engine.head?.header.height, state: dump() };
      const valid = await pay({});
      const mutate = fc.record({ path: fc.constantFrom('body', 'body.operations.0', 'body.operations', 'signatures.0', 'signatures', ''), key: fc.constantFrom('type', 'amount', 'from', 'to', 'id', 'sender', 'network', 'validUntilMs', 'signature', 'extra', 'memo', 'reference', 'atomic'), value: json });
      await fc.assert(fc.asyncProperty(fc.oneof(json.map((value) => ({ raw: value })), mutate), async (input) => {
        let payload: unknown;
        if ('raw' in input) payload = input.raw;
        else {
          payload = structuredClone(valid) as unknown;
          const target = input.path === '' ? payload : input.path.split('.').reduce<any>((at, key) => at?.[key], payload);
          if (target !== null && typeof target === 'object') target[input.key] = input.value;
        }
        // A mutation that leaves the bytes as they were (a property on an array, the same value) is no mutation.
        fc.pre(JSON.stringify(payload) !== JSON.stringify(valid));
        const response = await f.call('acme', 'POST', '/v1/transactions', JSON.stringify(payload));
        assertErrorShape(response.status, response.json, JSON.stringify(payload).slice(0, 200));
      }), { numRuns: 300 });
      assert.deepEqual({ height: f.t.ledger.engine.head?.header.height, state: dump() }, before);
    });

    it('headers: forged, stale or malformed authentication is refused in the one shape', async () => {
      const before = dump();
      const headerValue = fc.oneof(text, fc.constantFrom(String(Date.now()), 'Bearer x.y', 'Bearer ' + 'a'.repeat(600)));
      await fc.assert(fc.asyncProperty(fc.dictionary(fc.constantFrom(...Object.values(AUTH_HEADERS), 'authorization', 'content-type', 'x-request-id'), headerValue, { maxKeys: 5 }), async (headers) => {
        const clean = Object.fromEntries(Object.entries(headers).filter(([, value]) => /^[\t\x20-\x7e]*$/.test(value)));
        const response = await f.app.inject({ method: 'GET', url: '/v1/accounts', headers: clean });
        if (response.statusCode >= 400) assertErrorShape(response.statusCode, JSON.parse(response.body), JSON.stringify(clean));
      }), { numRuns: 300 });
      assert.equal(dump(), before);
    });

    it('amounts: any text as an amount is refused in the one shape or settles exactly, and the supply holds', async () => {
      const amount = fc.oneof(text, fc.bigInt({ min: 0n, max: (1n << 130n) }).map((n) => String(n)), fc.tuple(fc.bigInt({ min: 0n, max: (1n << 128n) }), fc.nat({ max: 10 ** 6 })).map(([whole, fraction]) => `${whole}.${fraction}`));
      let sent = 0;
      await fc.assert(fc.asyncProperty(amount, fc.boolean(), async (value, bulk) => {
        sent += 1;
        const operations: Operation[] = [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: value }];
        const envelope = await f.envelope('acme', operations, { id: `amount-${sent}`, ...(bulk && { atomic: false }) });
        const response = await f.call('acme', 'POST', '/v1/transactions', envelope);
        if (response.status >= 400) assertErrorShape(response.status, response.json, value);
        else assert.equal(response.status, 200);
      }), { numRuns: 200 });
      const asset = f.t.ledger.state.assets.get('usd-fmb')!;
      const balances = [...f.t.ledger.state.accounts.values()].filter((a) => a.asset === 'usd-fmb').reduce((sum, a) => sum + a.availableMinor + a.heldMinor, 0n);
      assert.equal(balances, asset.issuedMinor - asset.redeemedMinor);
      assert.deepEqual(f.t.violations, []);
    });
  });
});
