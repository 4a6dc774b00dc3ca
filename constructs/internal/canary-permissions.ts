/**
 * The Microsoft Graph application permission the canary writer holds.
 *
 * Source: Microsoft Graph permissions reference, learn.microsoft.com/graph/permissions-reference
 * (section "Application.ReadWrite.OwnedBy": Identifier, Application column, 18a4783c-866b-4cc7-a460-3d5e5662c884;
 * "Allows the app to create other applications, and fully manage those applications ... It cannot
 * update any apps that it is not an owner of"; admin consent required). There is no delegated id.
 */
export const CANARY_WRITER_APP_ROLES: Readonly<Record<string, string>> = {
  'Application.ReadWrite.OwnedBy': '18a4783c-866b-4cc7-a460-3d5e5662c884',
};
