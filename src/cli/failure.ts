import { CliError, EXIT, type Cli } from './context.js';

/**
 * Every failure of a command in one shape, the API's: `{ error: { type, code, message,
 * param?, request_id?, doc_url? } }` on stdout under --json, or one line on stderr, and
 * its exit status (1 the ledger or node said no, 2 usage or a local problem).
 */
export interface CliFailure {
  type: string;
  code: string;
  message: string;
  param?: string;
  request_id?: string;
  doc_url?: string;
}

async function describe(error: unknown, cli: Cli): Promise<{ failure: CliFailure; exitCode: number }> {
  if (error instanceof CliError) {
    return { failure: { type: error.type, code: error.code, message: error.message, ...(error.param !== undefined && { param: error.param }) }, exitCode: error.exitCode };
  }
  const { DepositumApiError } = await import('../sdk/index.js');
  if (error instanceof DepositumApiError) {
    return {
      failure: {
        type: error.type, code: error.code, message: error.message,
        ...(error.param !== undefined && { param: error.param }), ...(error.requestId !== undefined && { request_id: error.requestId }), ...(error.docUrl !== undefined && { doc_url: error.docUrl }),
      },
      exitCode: EXIT.rejected,
    };
  }
  // fetch fails with a TypeError whose cause says why (refused, unknown host, reset, a port fetch will not use).
  if (error instanceof TypeError && error.message === 'fetch failed') {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const urls = await cli.nodeUrls().catch(() => ['the node']);
    return { failure: { type: 'local_error', code: 'node_unreachable', message: `no node answers at ${urls.join(', ')} (${cause?.code ?? cause?.message ?? 'network error'}): start one with "npm start", or point --url at one` }, exitCode: EXIT.usage };
  }
  return { failure: { type: 'local_error', code: 'local_error', message: (error as Error).message ?? String(error) }, exitCode: EXIT.usage };
}

export async function reportFailure(error: unknown, json: boolean, cli: Cli): Promise<void> {
  const { failure, exitCode } = await describe(error, cli);
  if (json) console.log(JSON.stringify({ error: failure }, null, 2));
  else console.error(`error: ${failure.code}: ${failure.message}${failure.param === undefined || failure.message.includes(failure.param.replace(/^body\./, '')) ? '' : ` (${failure.param})`}${failure.request_id === undefined ? '' : ` [request ${failure.request_id}]`}`);
  process.exitCode = exitCode;
}
