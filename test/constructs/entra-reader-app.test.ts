import { EntraReaderApp, EntraReaderAppProps } from '../../constructs/entra-reader-app';
import { addresses, countOf, errorOf, onlyResource, resources, synthConstructs } from '../support/synth';

const synth = (props: Partial<EntraReaderAppProps> = {}) => synthConstructs((scope) => new EntraReaderApp(scope, 'ReaderApp', { displayName: 'Entra audit reader', ...props }));
const KV = '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-audit';
// Application (app role) ids from learn.microsoft.com/graph/permissions-reference.
const AUDITLOG_READ_ALL = 'b0afded3-3588-46d8-8b3d-9842eff778da';
const DIRECTORY_READ_ALL = '7ab1d382-f21e-4acd-a863-ba3e13f7da61';

describe('EntraReaderApp', () => {
  test('a single-tenant app with exactly AuditLog.Read.All and Directory.Read.All as application permissions', () => {
    const app = onlyResource(synth(), 'azuread_application');
    expect(app).toMatchObject({
      display_name: 'Entra audit reader',
      sign_in_audience: 'AzureADMyOrg',
      owners: [expect.stringContaining('data.azuread_client_config.')],
      required_resource_access: [
        {
          resource_app_id: '00000003-0000-0000-c000-000000000000',
          resource_access: [
            { id: AUDITLOG_READ_ALL, type: 'Role' },
            { id: DIRECTORY_READ_ALL, type: 'Role' },
          ],
        },
      ],
    });
    expect(app).not.toHaveProperty('password');
  });

  test('a service principal and admin consent as one app role assignment per permission, on Microsoft Graph', () => {
    const json = synth();
    expect(onlyResource(json, 'azuread_service_principal')).toMatchObject({ client_id: expect.stringContaining('azuread_application.') });
    expect(Object.values(json.data?.azuread_service_principal ?? {})).toEqual([expect.objectContaining({ client_id: '00000003-0000-0000-c000-000000000000' })]);
    const assignments = resources(json, 'azuread_app_role_assignment');
    expect(assignments.map((a) => a.app_role_id).sort()).toEqual([AUDITLOG_READ_ALL, DIRECTORY_READ_ALL].sort());
    for (const a of assignments) {
      expect(a).toEqual({
        app_role_id: expect.any(String),
        principal_object_id: expect.stringContaining('azuread_service_principal.'),
        resource_object_id: expect.stringContaining('data.azuread_service_principal.'),
      });
    }
  });

  test('credential none: no password and no federated credential', () => {
    const json = synth({ credential: { type: 'none' } });
    expect(countOf(json, 'azuread_application_password')).toBe(0);
    expect(countOf(json, 'azuread_application_federated_identity_credential')).toBe(0);
  });

  test('federated: GitHub Actions issuer and audience by default', () => {
    const json = synth({ credential: { type: 'federated', federated: [{ name: 'github-prod', subject: 'repo:contoso/siem:environment:prod' }] } });
    expect(onlyResource(json, 'azuread_application_federated_identity_credential')).toMatchObject({
      display_name: 'github-prod',
      issuer: 'https://token.actions.githubusercontent.com',
      subject: 'repo:contoso/siem:environment:prod',
      audiences: ['api://AzureADTokenExchange'],
      application_id: expect.stringContaining('azuread_application.'),
    });
    expect(countOf(json, 'azuread_application_password')).toBe(0);
  });

  test('secret: two slots renewed every 180 days, 90 days apart, each valid until its slot renews, created before destroy', () => {
    const json = synth({ credential: { type: 'secret' } });
    const rotations = json.resource?.time_rotating ?? {};
    const [aName, bName] = [Object.keys(rotations).find((n) => n.includes('SecretRotation_'))!, Object.keys(rotations).find((n) => n.includes('SecretRotationB_'))!];
    expect(rotations[aName]).toEqual({ rotation_days: 180 });
    expect(rotations[bName]).toEqual({ rotation_days: 180, rfc3339: `\${timeadd(time_rotating.${aName}.rfc3339, "2160h")}`, lifecycle: { ignore_changes: ['rfc3339'] } });
    const passwords = resources(json, 'azuread_application_password').sort((x, y) => String(x.display_name).localeCompare(String(y.display_name)));
    expect(passwords).toHaveLength(2);
    for (const [password, slot, rotation] of [[passwords[0], 'a', aName], [passwords[1], 'b', bName]] as const) {
      expect(password).toEqual({
        application_id: expect.stringMatching(/^\$\{azuread_application\.\w+\.id\}$/),
        display_name: `entra-audit-reader-${slot}`,
        start_date: `\${time_rotating.${rotation}.rfc3339}`,
        end_date: `\${timeadd(time_rotating.${rotation}.rfc3339, "4320h")}`,
        rotate_when_changed: { rotation: `\${time_rotating.${rotation}.id}` },
        lifecycle: { create_before_destroy: true },
      });
    }
  });

  test('slot a keeps the construct ids of the earlier single secret, so upgrading does not replace the secret in use', () => {
    const json = synth({ credential: { type: 'secret', keyVaultId: KV } });
    expect(addresses(json, 'azuread_application_password').sort()).toEqual([expect.stringMatching(/^ReaderApp_SecretB_[0-9A-F]{8}$/), expect.stringMatching(/^ReaderApp_Secret_[0-9A-F]{8}$/)]);
    expect(addresses(json, 'time_rotating').sort()).toEqual([expect.stringMatching(/^ReaderApp_SecretRotationB_[0-9A-F]{8}$/), expect.stringMatching(/^ReaderApp_SecretRotation_[0-9A-F]{8}$/)]);
    expect(addresses(json, 'azurerm_key_vault_secret').sort()).toEqual([expect.stringMatching(/^ReaderApp_KeyVaultSecretB_[0-9A-F]{8}$/), expect.stringMatching(/^ReaderApp_KeyVaultSecret_[0-9A-F]{8}$/)]);
  });

  test('the lifetime is configurable, and both slots go to Key Vault with their start and expiry', () => {
    const json = synth({ credential: { type: 'secret', lifetimeInDays: 90, keyVaultId: KV } });
    for (const rotation of resources(json, 'time_rotating')) expect(rotation).toMatchObject({ rotation_days: 90 });
    expect(resources(json, 'time_rotating').find((r) => r.rfc3339)).toMatchObject({ rfc3339: expect.stringContaining('"1080h"') });
    for (const password of resources(json, 'azuread_application_password')) expect(password).toMatchObject({ end_date: expect.stringContaining('"2160h"') });
    const secrets = resources(json, 'azurerm_key_vault_secret').sort((x, y) => String(x.name).localeCompare(String(y.name)));
    expect(secrets.map((x) => x.name)).toEqual(['entra-audit-reader-secret', 'entra-audit-reader-secret-b']);
    for (const secret of secrets) {
      expect(secret).toMatchObject({
        key_vault_id: KV,
        value: expect.stringMatching(/^\$\{azuread_application_password\.\w+\.value\}$/),
        not_before_date: expect.stringMatching(/^\$\{azuread_application_password\.\w+\.start_date\}$/),
        expiration_date: expect.stringMatching(/^\$\{azuread_application_password\.\w+\.end_date\}$/),
      });
    }
  });

  test('additional permissions are looked up by name on the Graph service principal and consented', () => {
    const json = synth({ additionalGraphPermissions: ['SecurityEvents.Read.All'] });
    const assignments = resources(json, 'azuread_app_role_assignment');
    expect(assignments).toHaveLength(3);
    expect(assignments.map((a) => a.app_role_id)).toContainEqual(expect.stringMatching(/^\$\{data\.azuread_service_principal\.\w+\.app_role_ids\["SecurityEvents\.Read\.All"\]\}$/));
  });

  test('construct ids are stable', () => {
    expect(addresses(synth(), 'azuread_app_role_assignment').sort()).toEqual([
      expect.stringMatching(/^ReaderApp_AdminConsent_AuditLogReadAll_[0-9A-F]{8}$/),
      expect.stringMatching(/^ReaderApp_AdminConsent_DirectoryReadAll_[0-9A-F]{8}$/),
    ]);
  });

  describe('fails', () => {
    test.each([
      ['a secret lifetime above the maximum', { credential: { type: 'secret' as const, lifetimeInDays: 400 } }, 'credential.lifetimeInDays: got 400; expected an integer from 2 to 365'],
      ['a secret lifetime above a configured maximum', { credential: { type: 'secret' as const, lifetimeInDays: 120, maxLifetimeInDays: 90 } }, 'credential.lifetimeInDays: got 120; expected an integer from 2 to 90'],
      ['an odd secret lifetime', { credential: { type: 'secret' as const, lifetimeInDays: 91 } }, 'credential.lifetimeInDays: got 91; expected an even number of days: two slots are renewed half a lifetime apart'],
      ['the retired rotateAfterDays', { credential: { type: 'secret' as const, lifetimeInDays: 90, rotateAfterDays: 60 } as never }, 'credential.rotateAfterDays: got 60; expected no rotateAfterDays: secrets now rotate in two overlapping slots'],
      ['a malformed Key Vault id', { credential: { type: 'secret' as const, keyVaultId: 'kv-audit' } }, 'credential.keyVaultId: got "kv-audit"; expected an ARM id'],
      ['a GitHub subject with a wildcard', { credential: { type: 'federated' as const, federated: [{ name: 'gh', subject: 'repo:contoso/*:pull_request' }] } }, 'credential.federated[0].subject: got "repo:contoso/*:pull_request"; expected a GitHub subject'],
      ['duplicate issuer and subject', { credential: { type: 'federated' as const, federated: [{ name: 'a', subject: 'repo:o/r:pull_request' }, { name: 'b', subject: 'repo:o/r:pull_request' }] } }, 'credential.federated[1].subject: got "repo:o/r:pull_request"; expected an issuer and subject pair not used'],
      ['no federated credential', { credential: { type: 'federated' as const, federated: [] } }, 'credential.federated: got 0; expected from 1 to 20'],
      ['more than 20 federated credentials', { credential: { type: 'federated' as const, federated: Array.from({ length: 21 }, (_, i) => ({ name: `c${i}`, subject: `repo:o/r:environment:e${i}` })) } }, 'credential.federated: got 21; expected from 1 to 20 federated credentials (Entra allows at most 20 per app)'],
      ['two federated credentials with one name', { credential: { type: 'federated' as const, federated: [{ name: 'siem', subject: 'repo:o/r:pull_request' }, { name: 'siem', subject: 'repo:o/r:environment:prod' }] } }, 'credential.federated[1].name: got "siem"; expected a name not used by credential.federated[0]'],
      ['two federated credential names differing only in case', { credential: { type: 'federated' as const, federated: [{ name: 'siem', subject: 'repo:o/r:pull_request' }, { name: 'SIEM', subject: 'repo:o/r:environment:prod' }] } }, 'credential.federated[1].name: got "SIEM"; expected a name not used by credential.federated[0]'],
      ['a permission name that is not a Graph permission', { additionalGraphPermissions: ['mail read'] }, 'additionalGraphPermissions[0]: got "mail read"'],
      ['a permission the app already has', { additionalGraphPermissions: ['AuditLog.Read.All'] }, 'additionalGraphPermissions[0]: got "AuditLog.Read.All"; expected a permission the app does not already have'],
    ])('on %s', (_name, props, message) => {
      const error = errorOf(() => synth(props));
      expect(error).toContain('[stack/ReaderApp] InvalidProps');
      expect(error).toContain(message);
    });

    test('on a duplicate federated-credential name with a props error, not a construct-name clash', () => {
      const error = errorOf(() => synth({ credential: { type: 'federated', federated: [{ name: 'siem', subject: 'repo:o/r:pull_request' }, { name: 'siem', subject: 'repo:o/r:environment:prod' }] } }));
      expect(error).not.toContain('There is already a Construct');
      expect(error.split('\n').filter((l) => l.includes('credential.federated'))).toHaveLength(1);
    });
  });
});
