import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { apiFixture } from './fixture.js';

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI document: every operation has an id, a tag, its answers and the one error shape', async () => {
    const f = await apiFixture();
    try {
      const response = await f.call(null, 'GET', '/openapi.json');
      assert.equal(response.status, 200);
      const document = response.json;
      await SwaggerParser.validate(structuredClone(document));
      assert.deepEqual(Object.keys(document.components.securitySchemes).sort(), ['requestSignature', 'session']);
      const operations = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })));
      assert.ok(operations.length >= 20);
      const ids = new Set<string>();
      for (const { route, operation } of operations) {
        assert.match(operation.operationId ?? '', /^[a-z][A-Za-z]+$/, `${route} has an operation id`);
        assert.ok(!ids.has(operation.operationId), `${route}: operation ids are unique`);
        ids.add(operation.operationId);
        assert.ok(operation.tags?.length === 1, `${route} has a tag`);
        const success = Object.keys(operation.responses).filter((status) => /^2/.test(status));
        assert.ok(success.length > 0, `${route} describes its success`);
        for (const status of success) assert.ok(operation.responses[status].content?.['application/json']?.schema, `${route} ${status} has a schema`);
        for (const status of ['4XX', '5XX']) assert.ok(operation.responses[status].content['application/json'].schema.properties.error, `${route} describes errors (${status})`);
      }
      const network = operations.find((o) => o.route === 'GET /v1/network')!.operation;
      assert.deepEqual(network.security, [], 'public routes need no signature');
    } finally {
      await f.close();
    }
  });

  it('catches an answer that drifts from its schema (the check every API test runs under)', async () => {
    const f = await apiFixture();
    try {
      // A route that declares one shape and answers another, as a forgotten view change would.
      await f.app.close();
      const drifted = (await import('fastify')).default();
      const { checkResponses } = await import('../../src/node/api/response-check.js');
      drifted.setSerializerCompiler(() => (data) => JSON.stringify(data));
      checkResponses(drifted);
      drifted.get('/drift', { schema: { response: { 200: { type: 'object', properties: { amount: { type: 'string' } }, required: ['amount'], additionalProperties: false } } } }, async () => ({ amount: 5, extra: true }));
      const response = await drifted.inject({ method: 'GET', url: '/drift' });
      assert.equal(response.statusCode, 500);
      assert.match(response.json().error.message, /off its schema/);
      await drifted.close();
    } finally {
      await f.t.close();
    }
  });
});
