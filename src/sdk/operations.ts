import { OPERATION_TYPES, type OperationOf, type OperationType } from '../core/operations/index.js';

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/** The fields of an operation, without its `type` (the builder adds it). */
export type OperationFields<T extends OperationType> = Omit<OperationOf<T>, 'type'>;

/**
 * One typed builder per registered operation, named in camelCase (`ops.transfer`,
 * `ops.forceTransfer`, `ops.placeHold` is `ops.hold`…), derived from the core's registry:
 * a new operation appears here without a line of SDK code.
 */
export type OperationBuilders = { readonly [T in OperationType as CamelCase<T>]: (fields: OperationFields<T>) => OperationOf<T> };

const camelCase = (type: string): string => type.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

export const ops = Object.freeze(Object.fromEntries(OPERATION_TYPES.map((type) => [camelCase(type), (fields: object) => ({ type, ...fields })]))) as OperationBuilders;
