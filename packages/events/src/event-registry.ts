import type { EventDefinition, EventEnvelope, EventOf } from '@linli/contracts';

/**
 * The events one consumer understands, by type and version. A consumer subscribes to whole topics but
 * cares about a subset: `has(type)` false means "not mine, ignore"; `has(type)` true with `get` undefined
 * means "mine, but a version I cannot read" (dead-lettered; see the README).
 */
export interface EventRegistry {
  get(type: string, version: number): EventDefinition | undefined;
  has(type: string): boolean;
  /** Known versions of a type, ascending (for messages like "knows versions 1, 2"). */
  versions(type: string): number[];
  all(): readonly EventDefinition[];
}

export function createEventRegistry(defs: readonly EventDefinition[]): EventRegistry {
  const byType = new Map<string, Map<number, EventDefinition>>();
  for (const def of defs) {
    const versions = byType.get(def.type) ?? new Map<number, EventDefinition>();
    const existing = versions.get(def.version);
    // The same definition listed twice (e.g. two lists concatenated) is harmless; two different
    // schemas for one type@version would make validation depend on list order.
    if (existing && existing !== def) throw new Error(`two different definitions for ${def.type}@${def.version}`);
    versions.set(def.version, def);
    byType.set(def.type, versions);
  }
  const all = Object.freeze([...new Set(defs)]);
  return {
    get: (type, version) => byType.get(type)?.get(version),
    has: (type) => byType.has(type),
    versions: (type) => [...(byType.get(type)?.keys() ?? [])].sort((a, b) => a - b),
    all: () => all,
  };
}

/** Narrows a consumed event to one definition, so a handler gets typed `data`. */
export function isEvent<D extends EventDefinition>(def: D, event: EventEnvelope): event is EventOf<D> {
  return event.type === def.type && event.version === def.version;
}
