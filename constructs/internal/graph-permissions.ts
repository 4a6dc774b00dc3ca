/**
 * Microsoft Graph, as the reader app needs it.
 *
 * Sources: learn.microsoft.com/graph/permissions-reference (application permission ids),
 * mirrored at graphpermissions.merill.net. These are the APPLICATION permission (app role) ids; the
 * delegated ids of the same names (AuditLog.Read.All e4c9e354-…, Directory.Read.All 06da0dbc-…) must
 * never be used with type `Role`.
 */
export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Application permissions the reader app always has: reading audit/sign-in logs and the directory. */
export const READER_APP_ROLES: Readonly<Record<string, string>> = {
  'AuditLog.Read.All': 'b0afded3-3588-46d8-8b3d-9842eff778da',
  'Directory.Read.All': '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
};

/** Shape of a Graph permission name: dotted words such as `SecurityEvents.Read.All`. */
export const GRAPH_PERMISSION_NAME = /^[A-Z][A-Za-z]*(\.[A-Z][A-Za-z]*)+$/;
