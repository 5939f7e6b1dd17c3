import { getMetadataStorage, MetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Grouped = { [propertyName: string]: ValidationMetadata[] };
const INSTALLED = Symbol.for('cpts-snp.validation-metadata-cache');

/**
 * class-validator reads a class's rules anew for every object it validates: for each one (a
 * booking's body, then its patient), `getTargetValidationMetadatas` walks every class that has
 * rules, to find the parents, and filters them, then `groupByPropertyName` groups them by field.
 * The rules are decorators: they are written once, when the classes load, and never change
 * afterwards. This remembers both answers per class (and per options) until a rule is added, which
 * forgets everything. The answers are frozen: a caller that changed one would change it for the
 * next objects too, so it fails loudly instead. In the booking path it was 9 % of what the API
 * allocated per request (the benchmark's allocation profile, bench/README.md).
 *
 * Idempotent; installed on the process's one metadata storage by buildValidationPipe().
 */
export function cacheValidationMetadata(storage: MetadataStorage = getMetadataStorage()): void {
  const s = storage as MetadataStorage & { [INSTALLED]?: true };
  if (s[INSTALLED]) return;
  s[INSTALLED] = true;

  const read = s.getTargetValidationMetadatas.bind(s);
  const group = s.groupByPropertyName.bind(s);
  let byTarget = new WeakMap<object, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Grouped>();
  const forget = () => {
    byTarget = new WeakMap();
    grouped = new WeakMap();
  };

  // Every rule comes in through here (a schema's too: addValidationSchema calls it for each one).
  // Constraint classes are not part of the answers remembered.
  const addValidationMetadata = s.addValidationMetadata.bind(s);
  s.addValidationMetadata = (m) => (forget(), addValidationMetadata(m));

  s.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    // Only a class (or another object) can key a WeakMap: anything else is read as before.
    if ((typeof target !== 'function' && typeof target !== 'object') || target === null) return read(target, schema, always, strictGroups, groups);
    const options = `${schema ?? ''}\u0000${!!always}\u0000${!!strictGroups}\u0000${groups ? groups.join('\u0000') : '\u0001'}`;
    let forTarget = byTarget.get(target);
    if (!forTarget) byTarget.set(target, (forTarget = new Map()));
    let metadatas = forTarget.get(options);
    if (!metadatas) forTarget.set(options, (metadatas = Object.freeze(read(target, schema, always, strictGroups, groups)) as ValidationMetadata[]));
    return metadatas;
  };

  s.groupByPropertyName = (metadatas) => {
    let byProperty = grouped.get(metadatas);
    if (!byProperty) {
      byProperty = group(metadatas);
      for (const list of Object.values(byProperty)) Object.freeze(list);
      // Only an answer of getTargetValidationMetadatas (frozen, hence not changed since) is remembered.
      if (Object.isFrozen(metadatas)) grouped.set(metadatas, Object.freeze(byProperty));
    }
    return byProperty;
  };
}
