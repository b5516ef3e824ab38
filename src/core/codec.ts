/**
 * Entities to and from JSON. Every amount field is named `...Minor` and is a bigint;
 * in JSON it is a string of minor units, so nothing passes through a float.
 */
export function entityToJson(entity: object): string {
  return JSON.stringify(entity, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

export function entityFromJson<T>(json: string): T {
  return JSON.parse(json, (key, value: unknown) =>
    key.endsWith('Minor') && typeof value === 'string' ? BigInt(value) : value,
  ) as T;
}
