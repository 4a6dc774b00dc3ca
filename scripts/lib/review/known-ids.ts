/**
 * Names for well-known Entra identifiers, so a risk line reads "AuditLog.Read.All" rather than a GUID.
 *
 * Source: the Microsoft Graph permissions reference, https://learn.microsoft.com/graph/permissions-reference
 * (application and delegated ids of AuditLog.Read.All and Directory.Read.All; mirrored at
 * https://graphpermissions.merill.net). The Microsoft Graph app id is the same in every tenant (same page).
 */
export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Microsoft Graph permission IDs, application (Role) and delegated (Scope). */
export const GRAPH_PERMISSION_NAMES: Readonly<Record<string, string>> = {
  'b0afded3-3588-46d8-8b3d-9842eff778da': 'AuditLog.Read.All (application)',
  'e4c9e354-4dc5-45b8-9e7c-e1393b0b1a20': 'AuditLog.Read.All (delegated)',
  '7ab1d382-f21e-4acd-a863-ba3e13f7da61': 'Directory.Read.All (application)',
  '06da0dbc-49e2-44d2-8312-53f166ab848a': 'Directory.Read.All (delegated)',
};

export function resourceAppName(appId: string): string {
  return appId.toLowerCase() === MICROSOFT_GRAPH_APP_ID ? 'Microsoft Graph' : appId;
}

export function permissionName(id: string): string {
  return GRAPH_PERMISSION_NAMES[id.toLowerCase()] ?? id;
}
