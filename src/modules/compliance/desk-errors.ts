import { ApiError } from '../../node/api/errors.js';
import { LedgerError } from '../../node/errors.js';
import { CaseError } from './cases.js';

/** Runs a desk's work; its refusals become the API's errors (an unknown object 404, anything else 400). */
export async function asApi<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof CaseError)) throw error;
    if (error.code === 'not_found') throw new ApiError('resource_not_found', error.message);
    throw new LedgerError('invalid_request', error.message);
  }
}
