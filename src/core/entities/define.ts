import type { Static, TObject, TSchema } from 'typebox';

/**
 * One kind of thing the ledger keeps (participants, accounts, holds, …). Its schema is
 * the source of its TypeScript type and of its snapshot encoding: fields in schema
 * order, amounts (bigint) as decimal strings of minor units, so that every node encodes
 * the same entity to the same bytes, which the state root commits to.
 */
export interface EntityDefinition<N extends string = string, S extends TObject = TObject> {
  readonly table: N;
  readonly description: string;
  readonly schema: S;
  key(entity: Readonly<Static<S>>): string;
  /** When the block-time scheduler must look at the entity again (a hold's expiry), or null. */
  dueAtMs?(entity: Readonly<Static<S>>): number | null;
}

export function defineEntity<N extends string, S extends TObject>(definition: EntityDefinition<N, S>): EntityDefinition<N, S> & { encode(entity: Readonly<Static<S>>): string; decode(json: string): Readonly<Static<S>> } {
  const encodeValue = compileEncoder(definition.schema);
  const bigintFields = Object.entries(definition.schema.properties).filter(([, field]) => isBigInt(field)).map(([name]) => name);
  return {
    ...definition,
    encode: (entity) => JSON.stringify(encodeValue(entity)),
    decode: (json) => {
      const value = JSON.parse(json) as Record<string, unknown>;
      for (const name of bigintFields) value[name] = BigInt(value[name] as string);
      return value as Readonly<Static<S>>;
    },
  };
}

const isBigInt = (schema: TSchema): boolean => (schema as { type?: unknown }).type === 'bigint';

/** A function that rebuilds a value in its schema's field order, bigints as strings. */
function compileEncoder(schema: TSchema): (value: unknown) => unknown {
  if (isBigInt(schema)) return (value) => (value as bigint).toString();
  const { properties, items } = schema as { properties?: Record<string, TSchema>; items?: TSchema };
  if (properties !== undefined) {
    const fields = Object.entries(properties).map(([name, field]) => [name, compileEncoder(field)] as const);
    return (value) => {
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, encode] of fields) if (record[name] !== undefined) out[name] = encode(record[name]);
      return out;
    };
  }
  if (items !== undefined) {
    const encodeItem = compileEncoder(items);
    return (value) => (value as unknown[]).map(encodeItem);
  }
  return (value) => value;
}
