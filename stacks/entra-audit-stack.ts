import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { AzurermBackend, Fn, ITerraformDependable, LocalBackend, Op, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AuditWorkbook } from '../constructs/audit-workbook/audit-workbook';
import { EntraAlertRules } from '../constructs/entra-alert-rules/entra-alert-rules';
import { EntraCanaryApp } from '../constructs/entra-canary-app';
import { EntraDiagnosticSettings } from '../constructs/entra-diagnostic-settings';
import { EntraReaderApp } from '../constructs/entra-reader-app';
import { EventHubDestination } from '../constructs/event-hub-destination';
import { LogAnalyticsDestination } from '../constructs/log-analytics-destination';
import { StorageArchiveDestination } from '../constructs/storage-archive-destination';
import { EntraCompliance } from '../constructs/compliance/entra-compliance';
import { joinPath } from '../constructs/internal/validation';
import { StackPlan } from './config';
import { defaultStateKey } from './config-limits';
import { defaultStateFile } from './state-paths';

/**
 * One tenant and environment: providers, backend, the destinations, the tenant's Entra diagnostic
 * settings routed to them, the SIEM reader app, alert rules and the audit workbook on the workspace,
 * and the outputs operators and `npm run verify` need.
 */
export class EntraAuditStack extends TerraformStack {
  readonly logAnalytics?: LogAnalyticsDestination;
  readonly eventHub?: EventHubDestination;
  readonly storage?: StorageArchiveDestination;
  readonly diagnostics: EntraDiagnosticSettings;
  readonly readerApp?: EntraReaderApp;
  readonly alerts?: EntraAlertRules;
  readonly canary?: EntraCanaryApp;
  readonly workbook?: AuditWorkbook;
  /** The compliance checks (an Aspect): the profiles' rules, run at synth; also read by the coverage report. */
  readonly compliance: EntraCompliance;
  /** The plan the stack was built from. */
  readonly plan: StackPlan;

  /**
   * cdktf's `prepareStack` makes sure a backend exists, then resolves every element of the stack once
   * so that a reference to another stack's resource can add the output and remote state it needs
   * (cdktf 0.21.0, `lib/terraform-stack.js`). These stacks never reference one another, so that pass
   * only repeats work `synth` does anyway, about a fifth of synth's CPU time at 200 stacks; the
   * backend step is kept. `test/stacks/synth-shortcuts.test.ts` fails when cdktf's method changes and
   * shows that the output is byte-identical either way. Were a cross-stack reference added, Terraform would reject the stack
   * (reference to an undeclared resource) rather than deploy something wrong.
   */
  override prepareStack(): void {
    this.ensureBackendExists();
  }

  constructor(scope: Construct, plan: StackPlan, options: { readonly enforceCompliance?: boolean } = {}) {
    super(scope, plan.id);
    this.plan = plan;

    new AzurermProvider(this, 'azurerm', {
      subscriptionId: plan.subscriptionId,
      tenantId: plan.tenantId,
      // Terraform talks to storage through Entra ID (shared keys are off by default) and never needs
      // the storage data plane here (no queue or static-website settings): with it off, a firewalled
      // account does not break refreshes (azurerm v4.55.0 website/docs/guides/features-block.html.markdown,
      // `storage.data_plane_available`).
      storageUseAzuread: true,
      // azurerm 4.x defaults to `legacy`, which registers resource providers at subscription scope and so
      // needs `*/register/action` on the whole subscription (MicrosoftDocs/azure-docs#65179 shows a deploy
      // failing on Microsoft.Insights/register/action). With `none` the deployer needs no more than its
      // roles on the resource group; the resource providers this stack uses (Microsoft.Insights,
      // Microsoft.OperationalInsights, Microsoft.EventHub, Microsoft.Storage) are registered once by a
      // subscription owner (docs/deployment.md). Values: website/docs/index.html.markdown, azurerm v4.55.0.
      resourceProviderRegistrations: 'none',
      features: [
        {
          storage: [{ dataPlaneAvailable: false }],
          logAnalyticsWorkspace: [{ permanentlyDeleteOnDestroy: false }],
          resourceGroup: [{ preventDeletionIfContainsResources: true }],
        },
      ],
    });
    new AzureadProvider(this, 'azuread', { tenantId: plan.tenantId });

    if (plan.backend.type === 'azurerm') {
      const b = plan.backend;
      new AzurermBackend(this, {
        resourceGroupName: b.resourceGroupName,
        storageAccountName: b.storageAccountName,
        containerName: b.containerName,
        key: b.key ?? defaultStateKey(plan.id),
        subscriptionId: b.subscriptionId ?? plan.subscriptionId,
        tenantId: plan.tenantId,
        useAzureadAuth: b.useAzureadAuth ?? true,
        useOidc: b.useOidc,
      });
    } else {
      new LocalBackend(this, { path: plan.backend.path ?? defaultStateFile(plan.id) });
    }

    let resourceGroupName = plan.resourceGroupName;
    if (plan.createResourceGroup) {
      const rg = new ResourceGroup(this, 'ResourceGroup', { name: plan.resourceGroupName, location: plan.location, tags: { ...plan.tags } });
      resourceGroupName = rg.name;
    }
    const placed = { resourceGroupName };

    const dependsOn: ITerraformDependable[] = [];
    if (plan.logAnalytics) {
      this.logAnalytics = new LogAnalyticsDestination(this, 'LogAnalytics', { ...plan.logAnalytics, ...placed });
      dependsOn.push(...(this.logAnalytics.workspace ? [this.logAnalytics.workspace] : []));
    }
    if (plan.eventHub) {
      this.eventHub = new EventHubDestination(this, 'EventHub', { ...plan.eventHub, ...placed });
      dependsOn.push(this.eventHub.hub);
    }
    if (plan.storage) {
      this.storage = new StorageArchiveDestination(this, 'Storage', { ...plan.storage, ...placed });
      dependsOn.push(...(this.storage.account ? [this.storage.account] : []), ...Object.values(this.storage.containers));
    }

    this.diagnostics = new EntraDiagnosticSettings(this, 'DiagnosticSettings', {
      ...plan.diagnostics,
      destinations: {
        logAnalyticsWorkspaceId: this.logAnalytics?.workspaceResourceId,
        eventHub: this.eventHub ? { authorizationRuleId: this.eventHub.diagnosticsAuthorizationRuleId, hubName: this.eventHub.hubName } : undefined,
        storageAccountId: this.storage?.accountId,
      },
      dependsOn,
    });

    if (plan.readerApp) this.readerApp = new EntraReaderApp(this, 'ReaderApp', plan.readerApp);
    if (plan.alerts && this.logAnalytics) {
      this.alerts = new EntraAlertRules(this, 'Alerts', {
        ...plan.alerts,
        resourceGroupName,
        workspaceResourceId: this.logAnalytics.workspaceResourceId,
        dependsOn: this.logAnalytics.ready.length > 0 ? [...this.logAnalytics.ready] : undefined,
      });
    }
    if (plan.workbook && this.logAnalytics) {
      const alerts = this.alerts && plan.alerts ? this.alerts.resolvedRules.map((r) => `${plan.alerts!.namePrefix}-${r.key}`) : [];
      this.workbook = new AuditWorkbook(this, 'Workbook', {
        ...plan.workbook,
        workspaceResourceId: this.logAnalytics.workspaceResourceId,
        // The fired-alerts section reads the catalog's rules from Azure Resource Graph, in the stack's subscription.
        firedAlerts: alerts.length > 0 ? { subscriptionId: plan.subscriptionId, ruleNames: alerts } : undefined,
        dependsOn: this.logAnalytics.ready.length > 0 ? [...this.logAnalytics.ready] : undefined,
      });
    }
    if (plan.canary) this.canary = new EntraCanaryApp(this, 'Canary', plan.canary);
    // hashicorp/time: the reader secret's rotation schedule, and the wait for a new workspace to become active.
    if (this.readerApp?.password || this.logAnalytics?.activationWait) new TimeProvider(this, 'time', {});

    this.outputs(plan);

    this.compliance = new EntraCompliance({
      ...plan.compliance,
      production: plan.production,
      settingPrefix: joinPath(`${joinPath('tenants', plan.tenantKey)}.environments`, plan.environmentKey),
      enforce: options.enforceCompliance ?? true,
    }).addTo(this);
  }

  private outputs(plan: StackPlan): void {
    const canary = this.canary;
    const output = (id: string, value: unknown, description: string) => new TerraformOutput(this, id, { value, description });
    output('tenant_id', plan.tenantId, 'Entra tenant (directory) id.');
    output('diagnostic_setting_names', this.diagnostics.groups.map((g) => g.name), 'Names of the tenant-level Entra diagnostic settings this stack manages.');
    if (this.logAnalytics) {
      output('log_analytics_workspace_id', this.logAnalytics.workspaceGuid, 'Workspace (customer) GUID, for the Logs query API.');
      output('log_analytics_workspace_resource_id', this.logAnalytics.workspaceResourceId, 'Workspace ARM id.');
    }
    if (this.eventHub) {
      output('eventhub_namespace_id', this.eventHub.namespaceId, 'Event Hub namespace ARM id.');
      output('eventhub_name', this.eventHub.hubName, 'Event hub that receives every Entra category.');
      output('eventhub_listen_rule_id', this.eventHub.listenAuthorizationRuleId, 'Listen-only namespace authorization rule for the SIEM.');
    }
    if (this.storage) output('storage_account_id', this.storage.accountId, 'Archive storage account ARM id.');
    if (this.readerApp) {
      output('reader_app_client_id', this.readerApp.clientId, 'Client id of the SIEM reader app registration.');
      output('reader_app_token_url', `https://login.microsoftonline.com/${plan.tenantId}/oauth2/v2.0/token`, 'OAuth 2.0 token endpoint for the reader app.');
      const secrets = this.readerApp.secrets;
      if (secrets) {
        const slot = (s: 'a' | 'b') => ({
          key_id: secrets[s].password.keyId,
          start_date: secrets[s].password.startDate,
          end_date: secrets[s].password.endDate,
          ...(secrets[s].keyVaultSecretName ? { key_vault_secret_name: secrets[s].keyVaultSecretName } : {}),
        });
        output('reader_secret_slots', { a: slot('a'), b: slot('b') }, 'The reader app\'s two client-secret slots (no secret values): key id, validity and Key Vault secret name.');
        output(
          'reader_secret_newest_slot',
          // timecmp is -1, 0 or 1; cdktf renders a literal 0 operand as "undefined", so compare with 1.
          Fn.conditional(Op.eq(Fn.timecmp(secrets.b.password.startDate, secrets.a.password.startDate), 1), 'b', 'a'),
          'The slot whose secret was issued last (the later start date). Right after the first deploy slot b starts only half a lifetime later: use a until then.',
        );
      }
    }
    if (canary) {
      output('canary_application_object_id', canary.canaryApplicationObjectId, 'Object id of the canary app whose notes npm run verify -- --canary changes.');
      output('canary_writer_client_id', canary.writerClientId, 'Client id of the identity that may change the canary app (Application.ReadWrite.OwnedBy, owner).');
    }
  }
}
