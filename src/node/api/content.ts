import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The charset a content type declares, lower case, or null when it declares none. */
function charsetOf(contentType: string | undefined): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase() ?? null;
}

/**
 * JSON bodies, read as bytes and decoded as strict UTF-8: a body in another charset, or
 * with bytes that are not UTF-8, is refused rather than read with replacement
 * characters. The decoded text is kept, because request signatures cover its bytes.
 */
export function jsonBodies(app: FastifyInstance): void {
  // Only JSON is read: any other media type (Fastify would read text/plain) is 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request: FastifyRequest, body: Buffer, done) => {
    const charset = charsetOf(request.headers['content-type']);
    if (charset !== null && charset !== 'utf-8' && charset !== 'utf8') {
      done(new ApiError('unsupported_media_type', `the node reads JSON in UTF-8 only, not ${charset}`), undefined);
      return;
    }
    let text: string;
    try {
      text = strictUtf8.decode(body);
    } catch {
      done(new ApiError('malformed_json', 'the body is not valid UTF-8'), undefined);
      return;
    }
    request.rawBody = text;
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new ApiError('malformed_json', 'the body is not valid JSON'), undefined);
    }
  });
}
