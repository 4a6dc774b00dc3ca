import type { ComplianceRule } from '../rule';

/** EAL5: the reader app's client secrets expire within the profile's figure. */
export const ReaderSecretLifetime: ComplianceRule = {
  id: 'EAL5',
  name: 'ReaderSecretLifetime',
  description: 'Client secrets of the reader app are valid for at most the profile\'s number of days; federated credentials (no secret) and no credential comply.',
  why: 'The reader app can read every audit and sign-in record of the tenant; a leaked secret stays usable until it expires.',
  fix: 'Lower readerApp.credential.lifetimeInDays, or switch to credential type federated, which has no secret at all.',
  controls: [],
  threshold: { unit: 'days', stricter: 'lower', meaning: 'longest secret lifetime' },
  check(facts, maxDays = 180) {
    const c = facts.readerApp?.credential;
    if (c?.type !== 'secret' || c.lifetimeInDays <= maxDays) return [];
    const even = maxDays % 2 === 0 ? maxDays : maxDays - 1;
    return [
      {
        constructPath: facts.readerApp!.path,
        setting: 'readerApp.credential.lifetimeInDays',
        got: c.lifetimeInDays,
        found: `each reader secret is valid ${c.lifetimeInDays} days, more than ${maxDays}`,
        fix: `set readerApp.credential.lifetimeInDays to ${even} or less (a new secret is issued every lifetimeInDays / 2), or use credential type federated`,
      },
    ];
  },
};
