/**
 * The coverage report as GitHub markdown: one page per stack and an index. The routing is a Mermaid
 * flowchart, which GitHub renders in place. Pure and deterministic.
 */
import { ProfileId } from '../../constructs/compliance/packs';
import { DestinationKind } from '../../constructs/entra-diagnostic-settings';
import { MARKDOWN_REPORT_MARKER } from './marker';
import { CoverageReport } from './model';

const KIND_NAMES: Readonly<Record<DestinationKind, string>> = { logAnalytics: 'Log Analytics', eventHub: 'Event Hub', storage: 'Storage archive' };

/** A table cell: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Text inside a quoted Mermaid label: quotes and `#` as entity codes, no angle brackets. */
function mermaidText(text: string): string {
  return text.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

const days = (n: number | undefined): string => (n === undefined ? 'read at plan time' : `${n} d`);

function lockText(lock: 'locked' | 'suspended' | 'none', reason?: string): string {
  if (lock === 'locked') return 'CanNotDelete lock';
  if (lock === 'suspended') return `lock suspended (${reason ?? 'no reason given'})`;
  return 'no delete lock';
}

function profilesText(profiles: readonly ProfileId[]): string {
  return profiles.length === 0 ? 'none' : profiles.map((p) => `\`${p}\``).join(', ');
}

/** The routing as a Mermaid flowchart: each diagnostic setting with its categories, to the destinations. */
export function routingFlowchart(report: CoverageReport): string {
  const lines = ['```mermaid', 'flowchart LR'];
  report.diagnosticSettings.forEach((s, i) => {
    lines.push(`  subgraph s${i + 1}["${mermaidText(`diagnostic setting ${s.name}`)}"]`);
    for (const c of s.categories) lines.push(`    c_${c.replace(/[^A-Za-z0-9]/g, '_')}["${mermaidText(c)}"]`);
    lines.push('  end');
  });
  const d = report.destinations;
  if (d.logAnalytics) {
    const retention = d.logAnalytics.existing ? 'existing workspace' : `workspace, ${days(d.logAnalytics.workspaceRetentionInDays)} interactive by default`;
    lines.push(`  law[("${mermaidText(`Log Analytics: ${retention}`)}")]`);
  }
  if (d.eventHub) lines.push(`  evh[["${mermaidText(`Event Hub: stream, ${d.eventHub.messageRetentionInDays} d`)}"]]`);
  if (d.storage) {
    const retention = d.storage.retentionInDays === undefined ? 'lifecycle managed elsewhere' : `${d.storage.retentionInDays} d`;
    const worm = d.storage.immutability ? `, immutable ${d.storage.immutability.periodInDays} d` : '';
    lines.push(`  st[("${mermaidText(`Storage archive: ${retention}${worm}`)}")]`);
  }
  const node: Record<DestinationKind, string> = { logAnalytics: 'law', eventHub: 'evh', storage: 'st' };
  report.diagnosticSettings.forEach((s, i) => {
    for (const kind of s.destinations) lines.push(`  s${i + 1} --> ${node[kind]}`);
  });
  lines.push('```');
  return lines.join('\n');
}

function retentionTable(report: CoverageReport): string[] {
  const rows = report.categories.map((c) => {
    const law = c.logAnalytics
      ? c.logAnalytics.plan === 'Basic'
        ? `Basic plan / ${days(c.logAnalytics.totalInDays)}`
        : `${days(c.logAnalytics.interactiveInDays)} / ${days(c.logAnalytics.totalInDays)}`
      : '—';
    const archive = c.archive ? `${c.archive.retentionInDays === undefined ? 'managed elsewhere' : `${c.archive.retentionInDays} d`}${c.archive.immutableForDays !== undefined ? ` (immutable ${c.archive.immutableForDays} d)` : ''}` : '—';
    const stream = c.stream ? `${c.stream.retentionInDays} d` : '—';
    return `| \`${cell(c.category)}\` | ${c.table ? `\`${c.table}\`` : '—'} | ${law} | ${archive} | ${stream} |`;
  });
  return ['| Category | Table | Log Analytics: interactive / total | Archive | Stream |', '|---|---|---|---|---|', ...rows];
}

function destinationLines(report: CoverageReport): string[] {
  const d = report.destinations;
  const out: string[] = [];
  if (d.logAnalytics) {
    out.push(
      `- Log Analytics: ${d.logAnalytics.existing ? 'an existing workspace (its own retention is read at plan time)' : `a new workspace, interactive retention ${days(d.logAnalytics.workspaceRetentionInDays)} unless a table sets its own`}; ${lockText(d.logAnalytics.lock, d.logAnalytics.lockSuspensionReason)}.`,
    );
  }
  if (d.eventHub) out.push(`- Event Hub: ${d.eventHub.existing ? 'a hub in an existing namespace' : 'a new namespace'}, messages kept ${d.eventHub.messageRetentionInDays} d for the SIEM to read; ${lockText(d.eventHub.lock, d.eventHub.lockSuspensionReason)}.`);
  if (d.storage) {
    const lifecycle = d.storage.retentionInDays === undefined ? 'its lifecycle policy is managed outside this stack' : `the lifecycle policy deletes archived logs after ${d.storage.retentionInDays} d`;
    const worm = d.storage.immutability ? `time-based immutability of ${d.storage.immutability.periodInDays} d (${d.storage.immutability.locked ? 'locked' : 'unlocked: an account owner can still remove it'})` : 'no immutability';
    out.push(`- Storage archive: ${d.storage.existing ? 'an existing account' : 'a new account'}; ${lifecycle}; ${worm}; ${lockText(d.storage.lock, d.storage.lockSuspensionReason)}.`);
  }
  if (out.length === 0) out.push('- No destination.');
  return out;
}

function detectionLines(report: CoverageReport): string[] {
  if (report.detections.length === 0) return ['No alert rules are deployed in this stack.'];
  const enabled = report.detections.filter((d) => d.enabled).length;
  const custom = report.detections.filter((d) => d.custom).length;
  const out = [
    `${report.detections.length} alert rule(s) on the workspace (${report.detections.length - custom} from the catalog, ${custom} custom), ${enabled} switched on.`,
    '',
    '| Detection | Title | Severity | Tactics | Techniques | Tables |',
    '|---|---|---|---|---|---|',
    ...report.detections.map(
      (d) =>
        `| \`${cell(d.key)}\`${d.enabled ? '' : ' (switched off)'} | ${cell(d.title)} | ${d.severity} ${d.severityName} | ${d.tactics.map((t) => `${t.id} ${t.name}`).join(', ') || '—'} | ${d.techniques.join(', ') || '—'} | ${d.tables.map((t) => `\`${t}\``).join(', ')} |`,
    ),
  ];
  if (report.detectionsNotDeployed.length > 0) out.push('', `Catalog detections not deployed: ${report.detectionsNotDeployed.map((k) => `\`${k}\``).join(', ')}.`);
  out.push(
    '',
    `Tactics covered: ${report.tactics.covered.map((t) => `${t.id} ${t.name} (${t.detections})`).join(', ') || 'none'}.`,
    '',
    `Not covered: ${report.tactics.notCovered.map((t) => `${t.id} ${t.name}`).join(', ') || 'none'}.`,
  );
  return out;
}

function readerLines(report: CoverageReport): string[] {
  const r = report.readerApp;
  if (!r) return ['No reader app in this stack.'];
  const c = r.credential;
  const credential =
    c.type === 'none'
      ? 'none managed here (the app and its consent only)'
      : c.type === 'federated'
        ? `workload identity federation, no secret: ${c.subjects.map((s) => `\`${cell(s)}\``).join(', ')}`
        : `client secrets in two slots, each valid ${c.lifetimeInDays} d, a new one every ${c.intervalInDays} d (at most ${c.maxLifetimeInDays} d allowed); values in Terraform state${c.keyVault ? ' and Key Vault' : ''}`;
  return [`- Microsoft Graph application permissions, with admin consent: ${r.graphPermissions.join(', ')}.`, `- Credential: ${credential}.`];
}

const STATUS: Readonly<Record<'pass' | 'fail' | 'suppressed', string>> = { pass: 'pass', fail: '**fail**', suppressed: 'suppressed' };

function complianceLines(report: CoverageReport): string[] {
  const c = report.compliance;
  const out = [`Profiles: ${profilesText(c.profiles)}.`];
  if (c.rules.length > 0) {
    out.push(
      '',
      '| Rule | Requirement | Profiles | Controls | Result |',
      '|---|---|---|---|---|',
      ...c.rules.map((r) => {
        const figure = r.threshold ? ` (${r.threshold.meaning}: ${r.threshold.value} ${r.threshold.unit})` : '';
        return `| ${r.id} ${r.name} | ${cell(r.description)}${figure} | ${r.profiles.join(', ')} | ${r.controls.map((x) => `${x.framework} ${x.number}`).join('; ') || '—'} | ${STATUS[r.status]} |`;
      }),
    );
    const findings = c.rules.filter((r) => r.findings.length > 0);
    if (findings.length > 0) {
      out.push('', 'Findings:', '');
      for (const r of findings) {
        for (const f of r.findings) out.push(`- ${r.id} (${r.status}): \`${cell(f.setting)}\`: ${f.found}. To change: ${f.fix}. Construct: \`${f.construct}\`.`);
      }
    }
  }
  out.push('', '### Suppressions', '');
  if (c.suppressions.length === 0) out.push('None.');
  else out.push('| Rule | Reason | Findings it accepts |', '|---|---|---|', ...c.suppressions.map((s) => `| ${s.rule} | ${cell(s.reason)} | ${s.findings === 0 ? '0: the rule passes, the suppression can go' : s.findings} |`));
  out.push('', '### Other profiles (not enforced)', '');
  if (c.otherProfiles.length === 0) out.push('None: every profile is selected.');
  else out.push('| Profile | Result if selected |', '|---|---|', ...c.otherProfiles.map((p) => `| \`${p.profile}\` ${p.title} | ${p.status === 'pass' ? 'pass' : `fails ${p.failing.join(', ')}`} |`));
  return out;
}

function complianceSummary(report: CoverageReport): string {
  const c = report.compliance;
  if (c.status === 'none') return 'no compliance profile selected';
  const count = (s: string) => c.rules.filter((r) => r.status === s).length;
  const parts = [`${count('pass')} pass`, count('suppressed') > 0 ? `${count('suppressed')} suppressed` : '', count('fail') > 0 ? `**${count('fail')} fail**` : ''].filter(Boolean);
  return `${profilesText(c.profiles)}: ${c.rules.length} rule(s), ${parts.join(', ')}`;
}

/** One stack's report page. */
export function renderReportMarkdown(report: CoverageReport): string {
  const lines = [
    MARKDOWN_REPORT_MARKER,
    `# Coverage report: \`${report.stack}\``,
    '',
    `Tenant \`${report.tenant.key}\` (\`${report.tenant.id}\`), environment \`${report.environment}\`${report.production ? ' (production)' : ''}, configured at \`${report.configurationPath}\`. ` +
      'Written from the configuration by `npm run synth` (next to `cdk.tf.json`) and `npm run report`; `npm run verify` checks a deployment.',
    '',
    `Compliance: ${complianceSummary(report)}.`,
    '',
    '## Routing',
    '',
    routingFlowchart(report),
    '',
    '## Retention by category and destination',
    '',
    ...retentionTable(report),
    '',
    ...destinationLines(report),
    '',
    '## Detections',
    '',
    ...detectionLines(report),
    '',
    '## Reader app',
    '',
    ...readerLines(report),
    '',
    '## Compliance',
    '',
    ...complianceLines(report),
  ];
  return `${lines.join('\n')}\n`;
}

/** The index page of every stack's report. */
export function renderIndexMarkdown(reports: readonly CoverageReport[]): string {
  const destinations = (r: CoverageReport) => (Object.keys(r.destinations) as DestinationKind[]).map((k) => KIND_NAMES[k]).join(', ') || '—';
  const lines = [
    MARKDOWN_REPORT_MARKER,
    '# Coverage reports',
    '',
    'One report per stack: what is collected, where and for how long, the detections, the reader app and the compliance results.',
    '',
    '| Stack | Environment | Categories | Destinations | Detections on | Compliance |',
    '|---|---|---|---|---|---|',
    ...reports.map(
      (r) =>
        `| [\`${r.stack}\`](${r.stack}.md) | \`${r.tenant.key}\` \`${r.environment}\`${r.production ? ' (production)' : ''} | ${r.categories.length} | ${destinations(r)} | ${r.detections.filter((d) => d.enabled).length} | ${complianceSummary(r)} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
