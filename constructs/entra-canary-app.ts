import { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import { Application } from '@cdktf/provider-azuread/lib/application';
import { ApplicationFederatedIdentityCredential } from '@cdktf/provider-azuread/lib/application-federated-identity-credential';
import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config';
import { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { Construct } from 'constructs';
import { CANARY_WRITER_APP_ROLES } from './internal/canary-permissions';
import { MICROSOFT_GRAPH_APP_ID } from './internal/graph-permissions';
import { GUID_PATTERN, GUID_TEXT, Problem, ProblemList, throwIfProblems } from './internal/validation';

/** A workload identity federation trust for the canary writer (no secret). */
export interface EntraCanaryFederatedCredential {
  /** The token issuer, an https:// URL, e.g. `https://token.actions.githubusercontent.com`. */
  readonly issuer: string;
  /** The exact subject (case-sensitive, no wildcards), e.g. `repo:<org>/<repo>:environment:prod`. */
  readonly subject: string;
  /** Token audiences; Entra accepts one. @default ['api://AzureADTokenExchange'] */
  readonly audiences?: readonly string[];
  /** Display name of the credential, unique per app. @default 'verify-canary' */
  readonly name?: string;
}

/** Props of {@link EntraCanaryApp}. */
export interface EntraCanaryAppProps {
  /** Display name of the canary application (the app whose `notes` the verifier changes). @default 'entra-audit-canary' */
  readonly canaryDisplayName?: string;
  /** Display name of the writer application (the identity that changes it). @default 'entra-audit-canary-writer' */
  readonly writerDisplayName?: string;
  /**
   * Make the principal running Terraform an owner of both applications, so that a deployer holding
   * only Application.ReadWrite.OwnedBy can still manage them.
   * @default true
   */
  readonly deployerIsOwner?: boolean;
  /** Object ids of further owners of both applications (users or service principals). @default - none */
  readonly additionalOwnerObjectIds?: readonly string[];
  /**
   * Lets a workload (a CI job, a Kubernetes service account) sign in as the writer without a secret.
   * @default - none: sign in as the writer some other way, or run the verifier as an identity that owns the canary app
   */
  readonly federatedCredential?: EntraCanaryFederatedCredential;
}

const ENTRA_TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
const CREDENTIAL_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,119}$/;

export function entraCanaryAppProblems(props: EntraCanaryAppProps): Problem[] {
  const p = new ProblemList();
  p.lengthInRange('canaryDisplayName', props.canaryDisplayName, 1, 120);
  p.lengthInRange('writerDisplayName', props.writerDisplayName, 1, 120);
  if (props.canaryDisplayName !== undefined && props.canaryDisplayName === (props.writerDisplayName ?? 'entra-audit-canary-writer')) {
    p.add('writerDisplayName', props.writerDisplayName, 'a display name different from canaryDisplayName, so the two apps are told apart');
  }
  (props.additionalOwnerObjectIds ?? []).forEach((id, i) => p.matches(`additionalOwnerObjectIds[${i}]`, id, GUID_PATTERN, GUID_TEXT));
  const f = props.federatedCredential;
  if (f !== undefined) {
    p.matches('federatedCredential.issuer', f.issuer, /^https:\/\/[^\s]{1,592}$/, 'an https:// issuer URL of at most 600 characters');
    p.lengthInRange('federatedCredential.subject', f.subject, 1, 600);
    p.matches('federatedCredential.subject', f.subject, /^[^*\s]+$/, 'an exact subject without spaces or wildcards');
    if (f.audiences !== undefined && f.audiences.length !== 1) p.add('federatedCredential.audiences', f.audiences, 'exactly one audience (Entra accepts one), usually api://AzureADTokenExchange');
    p.matches('federatedCredential.name', f.name, CREDENTIAL_NAME, '1–120 letters, digits, "-" or "_"');
  }
  return p.items;
}

/**
 * The optional end-to-end canary of `npm run verify -- --canary`: two single-tenant app registrations.
 *
 * - The **canary application** (`Resource`): no permissions, no credentials, no service principal. The
 *   verifier changes its `notes` through Microsoft Graph, which Entra records in AuditLogs as
 *   "Update application"; `notes` is in `ignore_changes`, so those changes never show as drift.
 * - The **writer**: an application and service principal that owns the canary application and holds the
 *   Microsoft Graph application permission Application.ReadWrite.OwnedBy (it can change only the apps it
 *   owns), with admin consent as an `azuread_app_role_assignment` on the tenant's Graph service principal,
 *   and optionally a federated identity credential.
 *
 * Granting the consent needs Global Administrator or Privileged Role Administrator (or, for a service
 * principal, AppRoleAssignment.ReadWrite.All with Application.Read.All).
 */
export class EntraCanaryApp extends Construct {
  /** Object id of the canary application: the stack's `canary_application_object_id` output. */
  readonly canaryApplicationObjectId: string;
  /** Application (client) id of the writer: the stack's `canary_writer_client_id` output. */
  readonly writerClientId: string;
  /** Object id of the writer's service principal. */
  readonly writerServicePrincipalObjectId: string;
  /** The canary application. */
  readonly canaryApplication: Application;
  /** The writer application. */
  readonly writerApplication: Application;

  constructor(scope: Construct, id: string, props: EntraCanaryAppProps = {}) {
    super(scope, id);
    throwIfProblems(this, entraCanaryAppProblems(props));
    const canaryDisplayName = props.canaryDisplayName ?? 'entra-audit-canary';
    const writerDisplayName = props.writerDisplayName ?? 'entra-audit-canary-writer';
    const deployerIsOwner = props.deployerIsOwner ?? true;
    const additionalOwners = [...(props.additionalOwnerObjectIds ?? [])];

    const deployerOwners = deployerIsOwner ? [new DataAzureadClientConfig(this, 'Deployer', {}).objectId] : [];
    const graph = new DataAzureadServicePrincipal(this, 'MicrosoftGraph', { clientId: MICROSOFT_GRAPH_APP_ID });

    this.writerApplication = new Application(this, 'WriterApplication', {
      displayName: writerDisplayName,
      signInAudience: 'AzureADMyOrg',
      owners: [...deployerOwners, ...additionalOwners],
      notes: 'Changes the notes of the Entra audit canary application so that `npm run verify -- --canary` can follow the audit event. Managed by entra-audit-logging.',
      requiredResourceAccess: [
        {
          resourceAppId: MICROSOFT_GRAPH_APP_ID,
          resourceAccess: Object.values(CANARY_WRITER_APP_ROLES).map((roleId) => ({ id: roleId, type: 'Role' })),
        },
      ],
    });
    const writer = new ServicePrincipal(this, 'WriterServicePrincipal', {
      clientId: this.writerApplication.clientId,
      owners: [...deployerOwners, ...additionalOwners],
      appRoleAssignmentRequired: false,
    });

    const consent = new Construct(this, 'AdminConsent');
    for (const [name, roleId] of Object.entries(CANARY_WRITER_APP_ROLES)) {
      new AppRoleAssignment(consent, name, { appRoleId: roleId, principalObjectId: writer.objectId, resourceObjectId: graph.objectId });
    }

    this.canaryApplication = new Application(this, 'Resource', {
      displayName: canaryDisplayName,
      signInAudience: 'AzureADMyOrg',
      owners: [writer.objectId, ...deployerOwners, ...additionalOwners],
      notes: 'Entra audit canary: `npm run verify -- --canary` changes these notes on purpose. Grants nothing.',
      lifecycle: { ignoreChanges: ['notes'] },
    });

    if (props.federatedCredential !== undefined) {
      const f = props.federatedCredential;
      new ApplicationFederatedIdentityCredential(this, 'WriterFederatedCredential', {
        applicationId: this.writerApplication.id,
        displayName: f.name ?? 'verify-canary',
        issuer: f.issuer,
        subject: f.subject,
        audiences: [...(f.audiences ?? [ENTRA_TOKEN_EXCHANGE_AUDIENCE])],
        description: 'Lets the verification job sign in as the canary writer; no secret.',
      });
    }

    this.canaryApplicationObjectId = this.canaryApplication.objectId;
    this.writerClientId = this.writerApplication.clientId;
    this.writerServicePrincipalObjectId = writer.objectId;
  }
}
