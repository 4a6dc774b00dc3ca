import { EntraReaderApp, EntraReaderAppProps } from '../../constructs/entra-reader-app';
import { addresses, countOf, errorOf, onlyResource, resources, synthConstructs } from '../support/synth';

const synth = (props: Partial<EntraReaderAppProps> = {}) => synthConstructs((scope) => new EntraReaderApp(scope, 'ReaderApp', { displayName: 'Entra audit reader', ...props }));
const KV = '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-audit';
// Application (app role) ids from learn.microsoft.com/graph/permissions-reference (azure-facts.md §4).
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

  test('secret: an explicit end date 180 days after the rotation base, rotated by time_rotating, created before destroy', () => {
    const json = synth({ credential: { type: 'secret' } });
    expect(onlyResource(json, 'time_rotating')).toEqual({ rotation_days: 150 });
    const password = onlyResource(json, 'azuread_application_password');
    expect(password).toMatchObject({
      application_id: expect.stringContaining('azuread_application.'),
      start_date: expect.stringMatching(/^\$\{time_rotating\.\w+\.id\}$/),
      end_date: expect.stringMatching(/^\$\{timeadd\(time_rotating\.\w+\.id, "4320h"\)\}$/),
      rotate_when_changed: { rotation: expect.stringMatching(/^\$\{time_rotating\.\w+\.id\}$/) },
      lifecycle: { create_before_destroy: true },
    });
    expect(password).not.toHaveProperty('end_date_relative');
  });

  test('secret lifetime and rotation are configurable, and the secret can go to Key Vault with its expiry', () => {
    const json = synth({ credential: { type: 'secret', lifetimeInDays: 90, rotateAfterDays: 60, keyVaultId: KV } });
    expect(onlyResource(json, 'time_rotating')).toEqual({ rotation_days: 60 });
    expect(onlyResource(json, 'azuread_application_password')).toMatchObject({ end_date: expect.stringContaining('"2160h"') });
    expect(onlyResource(json, 'azurerm_key_vault_secret')).toMatchObject({
      key_vault_id: KV,
      name: 'entra-audit-reader-secret',
      value: expect.stringMatching(/^\$\{azuread_application_password\.\w+\.value\}$/),
      expiration_date: expect.stringMatching(/^\$\{azuread_application_password\.\w+\.end_date\}$/),
    });
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
      ['a secret lifetime above the maximum', { credential: { type: 'secret' as const, lifetimeInDays: 400 } }, 'credential.lifetimeInDays: got 400; expected an integer from 1 to 365'],
      ['a secret lifetime above a configured maximum', { credential: { type: 'secret' as const, lifetimeInDays: 120, maxLifetimeInDays: 90 } }, 'credential.lifetimeInDays: got 120; expected an integer from 1 to 90'],
      ['rotation not before expiry', { credential: { type: 'secret' as const, lifetimeInDays: 90, rotateAfterDays: 90 } }, 'credential.rotateAfterDays: got 90; expected an integer from 1 to 89'],
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
