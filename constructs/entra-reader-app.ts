import { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import { Application } from '@cdktf/provider-azuread/lib/application';
import { ApplicationFederatedIdentityCredential } from '@cdktf/provider-azuread/lib/application-federated-identity-credential';
import { ApplicationPasswordA as ApplicationPassword } from '@cdktf/provider-azuread/lib/application-password';
import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config';
import { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';
import { Rotating } from '@cdktf/provider-time/lib/rotating';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { GRAPH_PERMISSION_NAME, MICROSOFT_GRAPH_APP_ID, READER_APP_ROLES } from './internal/graph-permissions';
import { armIdPattern, Problem, ProblemList, throwIfProblems } from './internal/validation';

/** GitHub Actions' OIDC issuer and the audience Entra expects (learn.microsoft.com workload-identity-federation-create-trust). */
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';
export const ENTRA_TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** One workload identity federation trust (no secret at all). */
export interface FederatedCredential {
  /** Display name, unique per app: letters, digits, `-` and `_`, 1–120 characters. */
  readonly name: string;
  /** @default 'https://token.actions.githubusercontent.com' */
  readonly issuer?: string;
  /**
   * The exact subject (case-sensitive, no wildcards). For GitHub Actions:
   * `repo:<org>/<repo>:environment:<env>`, `repo:<org>/<repo>:ref:refs/heads/<branch>`,
   * `repo:<org>/<repo>:ref:refs/tags/<tag>` or `repo:<org>/<repo>:pull_request`.
   */
  readonly subject: string;
  /** @default ['api://AzureADTokenExchange'] */
  readonly audiences?: readonly string[];
}

/** How the SIEM authenticates as the reader app. */
export type ReaderAppCredential =
  | { readonly type: 'none' }
  | { readonly type: 'federated'; readonly federated: readonly FederatedCredential[] }
  | {
      readonly type: 'secret';
      /**
       * Days each secret is valid: an even number from 2 to `maxLifetimeInDays`. Secrets live in two
       * slots, `a` and `b`, each renewed every `lifetimeInDays` and offset by half of it, so a new secret
       * is issued every `lifetimeInDays / 2` days while the previous one stays valid for that long.
       * @default 180
       */
      readonly lifetimeInDays?: number;
      /** Upper bound for `lifetimeInDays`, e.g. the tenant's app-management policy. @default 365 */
      readonly maxLifetimeInDays?: number;
      /**
       * ARM id of an existing Key Vault to write both slots to, each with its start (`nbf`) and expiry date.
       * @default - the secrets are only in Terraform state
       */
      readonly keyVaultId?: string;
    };

/** One of the two secret slots. */
export interface ReaderSecretSlot {
  /** The slot's schedule: its `rfc3339` is the current secret's start, `rotation_rfc3339` its end. */
  readonly rotation: Rotating;
  readonly password: ApplicationPassword;
  /** The Key Vault secret holding it, when a vault is configured. */
  readonly keyVaultSecretName?: string;
}

export interface EntraReaderAppProps {
  /** Display name of the app registration. */
  readonly displayName: string;
  /** How the SIEM signs in. @default { type: 'none' } */
  readonly credential?: ReaderAppCredential;
  /**
   * Further Microsoft Graph application permissions, by name (e.g. `SecurityEvents.Read.All`), looked
   * up on the tenant's Microsoft Graph service principal and granted with admin consent. Each one
   * widens what the SIEM can read: list only what it needs.
   * @default - none: only AuditLog.Read.All and Directory.Read.All
   */
  readonly additionalGraphPermissions?: readonly string[];
  /**
   * Name of the Key Vault secret of slot `a` (with credential type secret and a keyVaultId); slot `b` is
   * this name with `-b` appended. @default 'entra-audit-reader-secret'
   */
  readonly keyVaultSecretName?: string;
  /** Notes shown on the app registration. @default - a description of its purpose */
  readonly notes?: string;
}

const KEY_VAULT_ID = armIdPattern('Microsoft.KeyVault/vaults');
const CREDENTIAL_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,119}$/;
const GITHUB_SUBJECT = /^repo:[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+:(environment:[^\s*]+|ref:refs\/(heads|tags)\/[^\s*]+|pull_request)$/;

/** The two-slot secret schedule, with defaults applied: each slot lives `lifetimeInDays`, a new secret every `intervalInDays`. */
export function secretSchedule(c: Extract<ReaderAppCredential, { type: 'secret' }>): { lifetimeInDays: number; intervalInDays: number; maxLifetimeInDays: number } {
  const lifetimeInDays = c.lifetimeInDays ?? 180;
  return { lifetimeInDays, intervalInDays: Math.floor(lifetimeInDays / 2), maxLifetimeInDays: c.maxLifetimeInDays ?? 365 };
}

/** The secret slots, in issue order. */
export const SECRET_SLOTS = ['a', 'b'] as const;
export type SecretSlot = (typeof SECRET_SLOTS)[number];

export function entraReaderAppProblems(props: EntraReaderAppProps): Problem[] {
  const p = new ProblemList();
  p.lengthInRange('displayName', props.displayName, 1, 120);
  (props.additionalGraphPermissions ?? []).forEach((name, i) => {
    p.matches(`additionalGraphPermissions[${i}]`, name, GRAPH_PERMISSION_NAME, 'a Microsoft Graph permission name such as SecurityEvents.Read.All');
    if (READER_APP_ROLES[name]) p.add(`additionalGraphPermissions[${i}]`, name, 'a permission the app does not already have');
  });
  const c = props.credential ?? { type: 'none' };
  if (c.type === 'federated') {
    if (c.federated.length < 1 || c.federated.length > 20) p.add('credential.federated', c.federated.length, 'from 1 to 20 federated credentials (Entra allows at most 20 per app)');
    const seen = new Set<string>();
    // The name is the credential's display_name, which Entra requires unique per app (it is the
    // federatedIdentityCredential's alternate key: learn.microsoft.com/graph/api/resources/federatedidentitycredential),
    // and it names the construct. Compared without case, so that names differing only in case are not taken for two credentials.
    const names = new Map<string, number>();
    c.federated.forEach((f, i) => {
      const path = `credential.federated[${i}]`;
      p.matches(`${path}.name`, f.name, CREDENTIAL_NAME, '1–120 letters, digits, "-" or "_"');
      const first = names.get(f.name.toLowerCase());
      if (first !== undefined) p.add(`${path}.name`, f.name, `a name not used by credential.federated[${first}]: each federated credential of an app needs its own name`);
      else names.set(f.name.toLowerCase(), i);
      const issuer = f.issuer ?? GITHUB_ACTIONS_ISSUER;
      p.matches(`${path}.issuer`, f.issuer, /^https:\/\/[^\s]{1,592}$/, 'an https:// issuer URL of at most 600 characters');
      p.lengthInRange(`${path}.subject`, f.subject, 1, 600);
      if (issuer === GITHUB_ACTIONS_ISSUER) {
        p.matches(`${path}.subject`, f.subject, GITHUB_SUBJECT, 'a GitHub subject: repo:<org>/<repo>:environment:<env>, repo:<org>/<repo>:ref:refs/heads/<branch>, repo:<org>/<repo>:ref:refs/tags/<tag> or repo:<org>/<repo>:pull_request (exact, no wildcards)');
      }
      const key = `${issuer} ${f.subject}`;
      if (seen.has(key)) p.add(`${path}.subject`, f.subject, 'an issuer and subject pair not used by another credential of this app');
      seen.add(key);
      if (f.audiences && f.audiences.length !== 1) p.add(`${path}.audiences`, f.audiences, 'exactly one audience (Entra accepts one), usually api://AzureADTokenExchange');
    });
  } else if (c.type === 'secret') {
    const s = secretSchedule(c);
    p.integerInRange('credential.maxLifetimeInDays', c.maxLifetimeInDays, 2, 3650);
    p.integerInRange('credential.lifetimeInDays', c.lifetimeInDays, 2, s.maxLifetimeInDays, ' (credential.maxLifetimeInDays)');
    if (c.lifetimeInDays !== undefined && Number.isInteger(c.lifetimeInDays) && c.lifetimeInDays % 2 !== 0) {
      p.add('credential.lifetimeInDays', c.lifetimeInDays, 'an even number of days: two slots are renewed half a lifetime apart');
    }
    if ((c as { rotateAfterDays?: unknown }).rotateAfterDays !== undefined) {
      p.add('credential.rotateAfterDays', (c as { rotateAfterDays?: unknown }).rotateAfterDays, 'no rotateAfterDays: secrets now rotate in two overlapping slots, a new one every lifetimeInDays / 2 days (docs/operations.md, "Reader secret rotation"); remove the setting');
    }
    p.matches('credential.keyVaultId', c.keyVaultId, KEY_VAULT_ID, 'an ARM id like /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>');
  } else if (c.type !== 'none') {
    p.oneOf('credential.type', (c as { type: string }).type, ['none', 'federated', 'secret']);
  }
  // Key Vault secret names: learn.microsoft.com azure-resource-manager/management/resource-name-rules (Microsoft.KeyVault vaults/secrets).
  p.matches('keyVaultSecretName', props.keyVaultSecretName, /^[0-9a-zA-Z-]{1,125}$/, '1–125 letters, digits or hyphens (slot b appends "-b"; Key Vault allows 127)');
  return p.items;
}

/**
 * The app registration a SIEM uses to read the Entra audit and sign-in logs through Microsoft Graph:
 * a single-tenant `azuread_application` with exactly the Graph application permissions
 * AuditLog.Read.All and Directory.Read.All (plus any listed explicitly), its service principal, and
 * admin consent as one `azuread_app_role_assignment` per permission.
 *
 * Credentials: none, workload identity federation (no secret), or client secrets in two slots with
 * explicit end dates, renewed by `time_rotating` on alternate schedules so that two valid secrets overlap.
 */
export class EntraReaderApp extends Construct {
  /** The application (client) id. */
  readonly clientId: string;
  /** The application's object id. */
  readonly objectId: string;
  /** The service principal's object id. */
  readonly servicePrincipalObjectId: string;
  /** The app registration. */
  readonly application: Application;
  /** Slot `a`'s secret, with credential type secret. */
  readonly password?: ApplicationPassword;
  /** Both secret slots, with credential type secret. */
  readonly secrets?: Readonly<Record<SecretSlot, ReaderSecretSlot>>;
  /** How the SIEM signs in, as given (default `{ type: 'none' }`). */
  readonly credential: ReaderAppCredential;
  /** The Microsoft Graph application permissions granted with admin consent, by name: the base ones, then the additional ones. */
  readonly graphPermissions: readonly string[];

  constructor(scope: Construct, id: string, props: EntraReaderAppProps) {
    super(scope, id);
    throwIfProblems(this, entraReaderAppProblems(props));
    const credential = props.credential ?? { type: 'none' };
    const additional = props.additionalGraphPermissions ?? [];

    const client = new DataAzureadClientConfig(this, 'Deployer', {});
    const graph = new DataAzureadServicePrincipal(this, 'MicrosoftGraph', { clientId: MICROSOFT_GRAPH_APP_ID });
    // Base permissions by their documented ids (reviewable in the plan); additional ones by name from
    // the tenant's Graph service principal, so that no id is typed by hand.
    const roleIds: Record<string, string> = { ...READER_APP_ROLES };
    for (const name of additional) roleIds[name] = graph.appRoleIds.lookup(name);
    this.credential = credential;
    this.graphPermissions = Object.keys(roleIds);

    this.application = new Application(this, 'Resource', {
      displayName: props.displayName,
      signInAudience: 'AzureADMyOrg',
      owners: [client.objectId],
      notes: props.notes ?? 'Reads Microsoft Entra audit and sign-in logs through Microsoft Graph for the SIEM. Managed by entra-audit-logging.',
      requiredResourceAccess: [
        {
          resourceAppId: MICROSOFT_GRAPH_APP_ID,
          resourceAccess: Object.values(roleIds).map((roleId) => ({ id: roleId, type: 'Role' })),
        },
      ],
    });
    this.clientId = this.application.clientId;
    this.objectId = this.application.objectId;

    const sp = new ServicePrincipal(this, 'ServicePrincipal', {
      clientId: this.application.clientId,
      owners: [client.objectId],
      appRoleAssignmentRequired: false,
    });
    this.servicePrincipalObjectId = sp.objectId;

    // Admin consent: one app role assignment per permission, on the Graph service principal.
    const consent = new Construct(this, 'AdminConsent');
    for (const [name, roleId] of Object.entries(roleIds)) {
      new AppRoleAssignment(consent, name, {
        appRoleId: roleId,
        principalObjectId: sp.objectId,
        resourceObjectId: graph.objectId,
      });
    }

    if (credential.type === 'federated') {
      const federated = new Construct(this, 'Federated');
      for (const f of credential.federated) {
        new ApplicationFederatedIdentityCredential(federated, f.name, {
          applicationId: this.application.id,
          displayName: f.name,
          issuer: f.issuer ?? GITHUB_ACTIONS_ISSUER,
          subject: f.subject,
          audiences: [...(f.audiences ?? [ENTRA_TOKEN_EXCHANGE_AUDIENCE])],
          description: 'Workload identity federation for the SIEM reader; no secret.',
        });
      }
    } else if (credential.type === 'secret') {
      this.secrets = this.secretSlots(props, credential);
      this.password = this.secrets.a.password;
    }
  }

  /**
   * Two client secrets on alternate schedules, so that the consumer always holds one that stays valid
   * for half a lifetime after the next is issued (a single `time_rotating` + `create_before_destroy`
   * secret is deleted in the very apply that creates its successor). Slot `a` renews every
   * `lifetimeInDays`; slot `b` is based half a lifetime after `a` (its first secret starts then) and
   * keeps its own base afterwards (`ignore_changes`), so the slots stay apart. Each password ends when
   * its slot renews. Slot `a` keeps the construct ids of the earlier single secret, so upgrading does not
   * replace the secret in use.
   */
  private secretSlots(props: EntraReaderAppProps, credential: Extract<ReaderAppCredential, { type: 'secret' }>): Readonly<Record<SecretSlot, ReaderSecretSlot>> {
    const schedule = secretSchedule(credential);
    const ids: Record<SecretSlot, { rotation: string; password: string; vault: string; suffix: string }> = {
      a: { rotation: 'SecretRotation', password: 'Secret', vault: 'KeyVaultSecret', suffix: '' },
      b: { rotation: 'SecretRotationB', password: 'SecretB', vault: 'KeyVaultSecretB', suffix: '-b' },
    };
    const baseName = props.keyVaultSecretName ?? 'entra-audit-reader-secret';
    const slots = {} as Record<SecretSlot, ReaderSecretSlot>;
    for (const slot of SECRET_SLOTS) {
      const rotation =
        slot === 'a'
          ? new Rotating(this, ids.a.rotation, { rotationDays: schedule.lifetimeInDays })
          : new Rotating(this, ids.b.rotation, {
              rotationDays: schedule.lifetimeInDays,
              rfc3339: Fn.timeadd(slots.a.rotation.rfc3339, `${schedule.intervalInDays * 24}h`),
              lifecycle: { ignoreChanges: ['rfc3339'] },
            });
      const password = new ApplicationPassword(this, ids[slot].password, {
        applicationId: this.application.id,
        displayName: `entra-audit-reader-${slot}`,
        startDate: rotation.rfc3339,
        // start + lifetime, which equals the slot's rotation time but stays known at plan time when the
        // schedule is edited, so an edit does not replace the secret in use.
        endDate: Fn.timeadd(rotation.rfc3339, `${schedule.lifetimeInDays * 24}h`),
        rotateWhenChanged: { rotation: rotation.id },
        lifecycle: { createBeforeDestroy: true },
      });
      const keyVaultSecretName = credential.keyVaultId !== undefined ? `${baseName}${ids[slot].suffix}` : undefined;
      if (credential.keyVaultId !== undefined) {
        new KeyVaultSecret(this, ids[slot].vault, {
          name: keyVaultSecretName!,
          keyVaultId: credential.keyVaultId,
          value: password.value,
          contentType: `client secret of app ${props.displayName}, slot ${slot}`,
          notBeforeDate: password.startDate,
          expirationDate: password.endDate,
        });
      }
      slots[slot] = { rotation, password, keyVaultSecretName };
    }
    return slots;
  }
}
