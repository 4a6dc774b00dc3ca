/**
 * A cdktf app of your own that uses entra-audit-logging as a library: a Log Analytics workspace with
 * per-table retention, the tenant's diagnostic setting routing the baseline categories to it, and the
 * catalog's alert rules for the tables it receives.
 *
 *   npm install && npx cdktf synth      (or: npx tsx main.ts)
 */
import { App, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider/index.js';
import { TimeProvider } from '@cdktf/provider-time/lib/provider/index.js';
import { EntraAlertRules, EntraDiagnosticSettings, LogAnalyticsDestination } from 'entra-audit-logging';
import { DETECTIONS } from 'entra-audit-logging/catalog';
import { BASELINE_CATEGORIES, tableOfCategory } from 'entra-audit-logging/log-categories';

const SUBSCRIPTION_ID = '00000000-0000-4000-8000-000000000001';
const RESOURCE_GROUP = 'rg-entra-audit';
const LOCATION = 'westeurope';

class EntraAuditStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AzurermProvider(this, 'azurerm', { features: [{}], subscriptionId: SUBSCRIPTION_ID });
    // LogAnalyticsDestination waits for a new workspace to become active with a time_sleep.
    new TimeProvider(this, 'time');

    const logs = new LogAnalyticsDestination(this, 'LogAnalytics', {
      name: 'log-entra-audit',
      resourceGroupName: RESOURCE_GROUP,
      location: LOCATION,
      retentionInDays: 90,
      tables: { SigninLogs: { retentionInDays: 180, totalRetentionInDays: 730 } },
    });

    const routing = Object.fromEntries(BASELINE_CATEGORIES.map((category) => [category, ['logAnalytics' as const]]));
    new EntraDiagnosticSettings(this, 'DiagnosticSettings', {
      name: 'entra-audit',
      destinations: { logAnalyticsWorkspaceId: logs.workspaceResourceId },
      routing,
      dependsOn: logs.ready,
    });

    // Leave out what the toolkit's configuration leaves out by default (detections that need a licence
    // or a practice many tenants lack) and the detections reading a table this workspace does not receive.
    const routedTables = BASELINE_CATEGORIES.map((category) => tableOfCategory(category)).filter((table): table is string => table !== undefined);
    const disabled = DETECTIONS.filter((d) => d.disabledByDefault !== undefined || !d.tables.every((table) => routedTables.includes(table))).map((d) => d.key);
    new EntraAlertRules(this, 'Alerts', {
      workspaceResourceId: logs.workspaceResourceId,
      resourceGroupName: RESOURCE_GROUP,
      location: LOCATION,
      namePrefix: 'entra-audit',
      routedTables,
      disabled,
      dependsOn: logs.ready,
    });
  }
}

const app = new App();
new EntraAuditStack(app, 'entra-audit');
app.synth();
