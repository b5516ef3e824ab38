import type { Registry } from 'prom-client';

/**
 * `make` called once per registry, its result kept with the registry: prom-client refuses a
 * metric name registered twice, and a process's registry is shared by its node, its
 * runners and its modules.
 */
export function perRegistry<T>(make: (registry: Registry) => T): (registry: Registry) => T {
  const made = new WeakMap<Registry, T>();
  return (registry) => {
    let value = made.get(registry);
    if (value === undefined) made.set(registry, value = make(registry));
    return value;
  };
}
