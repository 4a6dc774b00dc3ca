import { EntraCanaryApp } from '../../constructs/entra-canary-app';
import { addresses, countOf, errorOf, resources, synthConstructs } from '../support/synth';

const APP_RW_OWNED_BY = '18a4783c-866b-4cc7-a460-3d5e5662c884';

function byDisplayName(json: ReturnType<typeof synthConstructs>, name: string): Record<string, unknown> {
  const app = resources(json, 'azuread_application').find((a) => a.display_name === name);
  if (!app) throw new Error(`no azuread_application named ${name}`);
  return app;
}

describe('EntraCanaryApp', () => {
  test('defaults: a permissionless canary app owned by a writer holding Application.ReadWrite.OwnedBy with admin consent', () => {
    const json = synthConstructs((scope) => new EntraCanaryApp(scope, 'Canary'));
    expect(countOf(json, 'azuread_application')).toBe(2);
    const canary = byDisplayName(json, 'entra-audit-canary');
    expect(canary.sign_in_audience).toBe('AzureADMyOrg');
    expect(canary.required_resource_access).toBeUndefined();
    expect(canary.lifecycle).toEqual({ ignore_changes: ['notes'] });
    expect(canary.owners).toEqual([expect.stringContaining('azuread_service_principal.'), expect.stringContaining('data.azuread_client_config.')]);
    const writer = byDisplayName(json, 'entra-audit-canary-writer');
    expect(writer.sign_in_audience).toBe('AzureADMyOrg');
    expect(writer.required_resource_access).toEqual([
      { resource_app_id: '00000003-0000-0000-c000-000000000000', resource_access: [{ id: APP_RW_OWNED_BY, type: 'Role' }] },
    ]);
    expect(countOf(json, 'azuread_service_principal')).toBe(1);
    const [consent] = resources(json, 'azuread_app_role_assignment');
    expect(consent).toMatchObject({
      app_role_id: APP_RW_OWNED_BY,
      principal_object_id: expect.stringContaining('azuread_service_principal.'),
      resource_object_id: expect.stringContaining('data.azuread_service_principal.'),
    });
    expect(countOf(json, 'azuread_application_federated_identity_credential')).toBe(0);
    expect(json.data?.azuread_service_principal && Object.values(json.data.azuread_service_principal)[0]).toMatchObject({ client_id: '00000003-0000-0000-c000-000000000000' });
  });

  test('the canary application has no service principal, password or permission of its own', () => {
    const json = synthConstructs((scope) => new EntraCanaryApp(scope, 'Canary'));
    const canary = byDisplayName(json, 'entra-audit-canary');
    expect(countOf(json, 'azuread_application_password')).toBe(0);
    expect(JSON.stringify(canary)).not.toContain('password');
    // the one service principal is the writer's
    expect(resources(json, 'azuread_service_principal')[0]?.client_id).toEqual(expect.stringContaining('azuread_application.'));
  });

  test('display names can be changed', () => {
    const json = synthConstructs((scope) => new EntraCanaryApp(scope, 'Canary', { canaryDisplayName: 'canary-prod', writerDisplayName: 'canary-writer-prod' }));
    expect(byDisplayName(json, 'canary-prod')).toBeDefined();
    expect(byDisplayName(json, 'canary-writer-prod')).toBeDefined();
  });

  test('deployerIsOwner: false leaves the deploying principal out', () => {
    const json = synthConstructs((scope) => new EntraCanaryApp(scope, 'Canary', { deployerIsOwner: false }));
    expect(json.data?.azuread_client_config).toBeUndefined();
    expect(byDisplayName(json, 'entra-audit-canary').owners).toEqual([expect.stringContaining('azuread_service_principal.')]);
  });

  test('additionalOwnerObjectIds become owners of both applications', () => {
    const owner = '11111111-2222-3333-4444-555555555555';
    const json = synthConstructs((scope) => new EntraCanaryApp(scope, 'Canary', { additionalOwnerObjectIds: [owner] }));
    expect(byDisplayName(json, 'entra-audit-canary').owners).toContain(owner);
    expect(byDisplayName(json, 'entra-audit-canary-writer').owners).toContain(owner);
  });

  test('federatedCredential adds a trust on the writer with the token-exchange audience by default', () => {
    const json = synthConstructs((scope) =>
      new EntraCanaryApp(scope, 'Canary', { federatedCredential: { issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:contoso/audit:environment:prod' } }),
    );
    const [fic] = resources(json, 'azuread_application_federated_identity_credential');
    expect(fic).toMatchObject({
      display_name: 'verify-canary',
      issuer: 'https://token.actions.githubusercontent.com',
      subject: 'repo:contoso/audit:environment:prod',
      audiences: ['api://AzureADTokenExchange'],
      application_id: expect.stringMatching(/^\$\{azuread_application\.Canary_WriterApplication_[0-9A-F]+\.id\}$/),
    });
  });

  test('exposes the canary object id and the writer client id as references', () => {
    let canary: EntraCanaryApp | undefined;
    synthConstructs((scope) => {
      canary = new EntraCanaryApp(scope, 'Canary');
    });
    expect(canary?.canaryApplicationObjectId).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
    expect(canary?.writerClientId).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
  });

  test('pins the Terraform addresses (construct ids are public API)', () => {
    const json = synthConstructs((scope) =>
      new EntraCanaryApp(scope, 'Canary', { federatedCredential: { issuer: 'https://issuer.example', subject: 'sub' } }),
    );
    const strip = (ids: string[]): string[] => ids.map((id) => id.replace(/_[0-9A-F]{8}$/, '')).sort();
    expect(strip(addresses(json, 'azuread_application'))).toEqual(['Canary', 'Canary_WriterApplication']) // id `Resource` is dropped from the address;
    expect(strip(addresses(json, 'azuread_service_principal'))).toEqual(['Canary_WriterServicePrincipal']);
    expect(strip(addresses(json, 'azuread_app_role_assignment'))).toEqual(['Canary_AdminConsent_ApplicationReadWriteOwnedBy']);
    expect(strip(addresses(json, 'azuread_application_federated_identity_credential'))).toEqual(['Canary_WriterFederatedCredential']);
  });

  test('fails when the federated credential is malformed, listing every problem', () => {
    const message = errorOf(() =>
      synthConstructs((scope) =>
        new EntraCanaryApp(scope, 'Canary', { federatedCredential: { issuer: 'http://insecure', subject: 'repo:*', audiences: ['a', 'b'] } }),
      ),
    );
    expect(message).toContain('InvalidProps: 3 problem(s)');
    expect(message).toContain('federatedCredential.issuer: got "http://insecure"');
    expect(message).toContain('federatedCredential.subject: got "repo:*"');
    expect(message).toContain('federatedCredential.audiences');
  });

  test('fails when an additional owner is not a GUID', () => {
    expect(errorOf(() => synthConstructs((scope) => new EntraCanaryApp(scope, 'Canary', { additionalOwnerObjectIds: ['me'] })))).toContain(
      'additionalOwnerObjectIds[0]: got "me"; expected a GUID',
    );
  });

  test('fails when both apps would have the same display name', () => {
    expect(errorOf(() => synthConstructs((scope) => new EntraCanaryApp(scope, 'Canary', { canaryDisplayName: 'x', writerDisplayName: 'x' })))).toContain(
      'writerDisplayName: got "x"',
    );
  });
});
