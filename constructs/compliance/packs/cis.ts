import type { ComplianceProfile } from './pack';

/** CIS Microsoft Azure Foundations Benchmark: the items on exporting Entra and Microsoft Graph activity logs. */
export const CIS: ComplianceProfile = {
  id: 'cis',
  title: 'CIS Microsoft Azure Foundations',
  description: 'The CIS Microsoft Azure Foundations Benchmark items that require Microsoft Entra activity logs (v4.0.0 7.1.1.9, v5.0.0 6.1.1.9) and Microsoft Graph activity logs (v5.0.0 6.1.1.8) to be sent to a destination by a diagnostic setting.',
  rules: [
    { rule: 'EAL9', controls: ['CIS 4.0.0 7.1.1.9', 'CIS 5.0.0 6.1.1.9'] },
    { rule: 'EAL10', controls: ['CIS 5.0.0 6.1.1.8'] },
  ],
};
