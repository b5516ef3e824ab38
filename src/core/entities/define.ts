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
  /** Keys the state finds the entity by besides its id (a standing instruction by its accounts): `LedgerState.indexed`. */
  indexBy?(entity: Readonly<Static<S>>): readonly string[];
}

export function defineEntity<N extends string, S extends TObject>(definition: EntityDefinition<N, S>): EntityDefinition<N, S> & { encode(entity: Readonly<Static<S>>): string; decode(json: string): Readonly<Static<S>> } {
  const decode = compileDecoder(definition.schema);
  // Written field by field in schema order: an entity is encoded after every block that changes it.
  const fields = Object.entries(definition.schema.properties).map(([name, field]) => ({
    name, prefix: `,${JSON.stringify(name)}:`, bigint: isBigInt(field), encode: compileEncoder(field),
    nested: !isBigInt(field) && ((field as { properties?: unknown }).properties !== undefined || (field as { items?: unknown }).items !== undefined),
  }));
  const encodeFlat = (entity: Readonly<Static<S>>): string => {
    let out = '';
    let first = true;
    for (const field of fields) {
      const value = (entity as Record<string, unknown>)[field.name];
      if (value === undefined) continue;
      const prefix = first ? `{${field.prefix.slice(1)}` : field.prefix;
      first = false;
      out += prefix + (field.bigint ? `"${(value as bigint).toString()}"` : field.nested ? JSON.stringify(field.encode(value)) : JSON.stringify(value));
    }
    return first ? '{}' : `${out}}`;
  };
  return {
    ...definition,
    encode: encodeFlat,
    decode: (json) => decode(JSON.parse(json)) as Readonly<Static<S>>,
  };
}

const isBigInt = (schema: TSchema): boolean => (schema as { type?: unknown }).type === 'bigint';

/** A function that rebuilds a (nested) value in its schema's field order, bigints as strings. */
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

/** The inverse of compileEncoder: amounts (at any depth) back from decimal strings to bigints. */
function compileDecoder(schema: TSchema): (value: unknown) => unknown {
  if (isBigInt(schema)) return (value) => BigInt(value as string);
  const { properties, items } = schema as { properties?: Record<string, TSchema>; items?: TSchema };
  if (properties !== undefined) {
    const fields = Object.entries(properties).filter(([, field]) => containsBigInt(field)).map(([name, field]) => [name, compileDecoder(field)] as const);
    if (fields.length === 0) return (value) => value;
    return (value) => {
      const record = value as Record<string, unknown>;
      for (const [name, decode] of fields) if (record[name] !== undefined) record[name] = decode(record[name]);
      return record;
    };
  }
  if (items !== undefined && containsBigInt(items)) {
    const decodeItem = compileDecoder(items);
    return (value) => (value as unknown[]).map(decodeItem);
  }
  return (value) => value;
}

function containsBigInt(schema: TSchema): boolean {
  if (isBigInt(schema)) return true;
  const { properties, items } = schema as { properties?: Record<string, TSchema>; items?: TSchema };
  return (properties !== undefined && Object.values(properties).some(containsBigInt)) || (items !== undefined && containsBigInt(items));
}
