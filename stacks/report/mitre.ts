/**
 * MITRE ATT&CK Enterprise tactics, in the matrix's order, with their ids
 * (https://attack.mitre.org/tactics/enterprise/). The detection catalog names tactics by id only.
 */
export const ENTERPRISE_TACTICS: readonly { readonly id: string; readonly name: string }[] = [
  { id: 'TA0043', name: 'Reconnaissance' },
  { id: 'TA0042', name: 'Resource Development' },
  { id: 'TA0001', name: 'Initial Access' },
  { id: 'TA0002', name: 'Execution' },
  { id: 'TA0003', name: 'Persistence' },
  { id: 'TA0004', name: 'Privilege Escalation' },
  { id: 'TA0005', name: 'Defense Evasion' },
  { id: 'TA0006', name: 'Credential Access' },
  { id: 'TA0007', name: 'Discovery' },
  { id: 'TA0008', name: 'Lateral Movement' },
  { id: 'TA0009', name: 'Collection' },
  { id: 'TA0011', name: 'Command and Control' },
  { id: 'TA0010', name: 'Exfiltration' },
  { id: 'TA0040', name: 'Impact' },
];

/** The tactic's name, or its id when the table does not know it. */
export function tacticName(id: string): string {
  return ENTERPRISE_TACTICS.find((t) => t.id === id)?.name ?? id;
}
