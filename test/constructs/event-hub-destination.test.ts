import { EventHubDestination, EventHubDestinationProps } from '../../constructs/event-hub-destination';
import { addresses, countOf, errorOf, onlyResource, resources, synthConstructs } from '../support/synth';

const base: EventHubDestinationProps = { namespaceName: 'evhns-entra-audit', resourceGroupName: 'rg-audit', location: 'westeurope' };
const synth = (props: Partial<EventHubDestinationProps> = {}) => synthConstructs((scope) => new EventHubDestination(scope, 'EventHub', { ...base, ...props }));
const EXISTING = '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-siem/providers/Microsoft.EventHub/namespaces/evhns-siem';

describe('EventHubDestination', () => {
  test('defaults: Standard namespace with TLS 1.2, SAS on, default-deny network with trusted services', () => {
    const ns = onlyResource(synth(), 'azurerm_eventhub_namespace');
    expect(ns).toMatchObject({
      name: 'evhns-entra-audit',
      sku: 'Standard',
      capacity: 1,
      auto_inflate_enabled: false,
      minimum_tls_version: '1.2',
      local_authentication_enabled: true,
      network_rulesets: [{ default_action: 'Deny', trusted_service_access_enabled: true, ip_rule: [], virtual_network_rule: [] }],
    });
    expect(ns).not.toHaveProperty('maximum_throughput_units');
  });

  test('one explicitly named hub with partitions and retention, on the namespace id', () => {
    expect(onlyResource(synth(), 'azurerm_eventhub')).toEqual({
      name: 'entra-audit-logs',
      namespace_id: expect.stringMatching(/^\$\{azurerm_eventhub_namespace\.\w+\.id\}$/),
      partition_count: 4,
      message_retention: 7,
    });
  });

  test('a namespace-level rule with listen, send and manage for the diagnostic setting, and a listen-only rule for the SIEM', () => {
    const rules = resources(synth(), 'azurerm_eventhub_namespace_authorization_rule');
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'entra-diagnostic-settings', listen: true, send: true, manage: true }),
        expect.objectContaining({ name: 'siem-listen', listen: true, send: false, manage: false }),
      ]),
    );
    expect(rules).toHaveLength(2);
    expect(countOf(synth(), 'azurerm_eventhub_authorization_rule')).toBe(0);
  });

  test('a dedicated consumer group for the SIEM', () => {
    expect(onlyResource(synth({ consumerGroupName: 'splunk' }), 'azurerm_eventhub_consumer_group')).toMatchObject({ name: 'splunk', resource_group_name: expect.stringContaining('resource_group_name') });
  });

  test('auto-inflate, capacity, hub settings and network rules are passed through', () => {
    const json = synth({ capacity: 2, autoInflateMaximumThroughputUnits: 10, hubName: 'entra', partitionCount: 32, messageRetentionInDays: 3, networkRules: { ipRules: ['203.0.113.0/24'] } });
    expect(onlyResource(json, 'azurerm_eventhub_namespace')).toMatchObject({ capacity: 2, auto_inflate_enabled: true, maximum_throughput_units: 10, network_rulesets: [{ ip_rule: [{ ip_mask: '203.0.113.0/24', action: 'Allow' }] }] });
    expect(onlyResource(json, 'azurerm_eventhub')).toMatchObject({ name: 'entra', partition_count: 32, message_retention: 3 });
  });

  test('Premium allows 90 days and 100 partitions', () => {
    const json = synth({ sku: 'Premium', capacity: 4, partitionCount: 100, messageRetentionInDays: 90 });
    expect(onlyResource(json, 'azurerm_eventhub_namespace')).toMatchObject({ sku: 'Premium', capacity: 4 });
    expect(onlyResource(json, 'azurerm_eventhub')).toMatchObject({ partition_count: 100, message_retention: 90 });
  });

  test('an existing namespace gets the hub, rules and consumer group, nothing else', () => {
    const json = synthConstructs((scope) => new EventHubDestination(scope, 'EventHub', { existingNamespaceId: EXISTING }));
    expect(countOf(json, 'azurerm_eventhub_namespace')).toBe(0);
    expect(onlyResource(json, 'azurerm_eventhub')).toMatchObject({ namespace_id: EXISTING });
    expect(resources(json, 'azurerm_eventhub_namespace_authorization_rule')[0]).toMatchObject({ namespace_name: 'evhns-siem', resource_group_name: 'rg-siem' });
  });

  test('the namespace lock waits for the hub, its authorization rules and the consumer group', () => {
    const json = synth({ protection: { lock: true } });
    const lock = onlyResource(json, 'azurerm_management_lock') as { depends_on: string[] };
    const children = ['azurerm_eventhub', 'azurerm_eventhub_namespace_authorization_rule', 'azurerm_eventhub_consumer_group'].flatMap((type) => addresses(json, type).map((a) => `${type}.${a}`));
    expect([...lock.depends_on].sort()).toEqual(children.sort());
  });

  test('protection locks the namespace and prevents its destruction', () => {
    const json = synth({ protection: { lock: true, preventDestroy: true } });
    expect(onlyResource(json, 'azurerm_management_lock')).toMatchObject({ lock_level: 'CanNotDelete' });
    expect(onlyResource(json, 'azurerm_eventhub_namespace')).toMatchObject({ lifecycle: { prevent_destroy: true } });
  });

  test('construct ids are stable', () => {
    const json = synth();
    expect(addresses(json, 'azurerm_eventhub_namespace_authorization_rule').sort()).toEqual([
      expect.stringMatching(/^EventHub_DiagnosticsRule_[0-9A-F]{8}$/),
      expect.stringMatching(/^EventHub_ListenRule_[0-9A-F]{8}$/),
    ]);
    expect(addresses(json, 'azurerm_eventhub')).toEqual([expect.stringMatching(/^EventHub_EntraHub_[0-9A-F]{8}$/)]);
  });

  test('tag names up to 512 characters are accepted on a namespace (storage accounts stop at 128)', () => {
    expect(() => synth({ tags: { ['t'.repeat(512)]: 'x' } })).not.toThrow();
  });

  describe('fails', () => {
    test.each([
      ['retention above the Standard limit', { messageRetentionInDays: 8 }, 'messageRetentionInDays: got 8; expected an integer from 1 to 7 on the Standard tier'],
      ['retention above the Premium limit', { sku: 'Premium' as const, messageRetentionInDays: 91 }, 'messageRetentionInDays: got 91; expected an integer from 1 to 90 on the Premium tier'],
      ['too many partitions on Standard', { partitionCount: 33 }, 'partitionCount: got 33; expected an integer from 1 to 32 on the Standard tier'],
      ['a Basic namespace', { sku: 'Basic' as never }, 'sku: got "Basic"; expected one of "Standard", "Premium"'],
      ['a Premium capacity that is not 1, 2, 4, 8 or 16', { sku: 'Premium' as const, capacity: 3 }, 'capacity: got 3; expected one of 1, 2, 4, 8, 16'],
      ['auto-inflate on Premium', { sku: 'Premium' as const, autoInflateMaximumThroughputUnits: 10 }, 'autoInflateMaximumThroughputUnits: got 10; expected unset: auto-inflate exists only on the Standard tier'],
      ['auto-inflate below the capacity', { capacity: 5, autoInflateMaximumThroughputUnits: 2 }, 'autoInflateMaximumThroughputUnits: got 2; expected an integer from 5 to 40'],
      ['a namespace name Azure rejects', { namespaceName: '1bad' }, 'namespaceName: got "1bad"; expected 6–50 letters'],
      ['a reserved namespace suffix', { namespaceName: 'entra-audit-sb' }, 'namespaceName: got "entra-audit-sb"; expected a name that does not end with "-sb" or "-mgmt"'],
      ['a hub name longer than 50', { hubName: 'h'.repeat(51) }, 'hubName: got "hhhh'],
      ['the $Default consumer group', { consumerGroupName: '$Default' }, 'consumerGroupName: got "$Default"'],
      ['a tag value longer than 256 characters', { tags: { team: 'v'.repeat(257) } }, 'tags.team: got "vvv'],
      ['tag names differing only in case', { tags: { Team: 'a', team: 'b' } }, 'tags.team: got "team"; expected a tag name that differs from "Team" in more than case'],
      ['an IP rule that is not IPv4/CIDR', { networkRules: { ipRules: ['10.0.0.0/33'] } }, 'networkRules.ipRules[0]: got "10.0.0.0/33"'],
    ])('on %s', (_name, props, message) => {
      const error = errorOf(() => synth(props));
      expect(error).toContain('[stack/EventHub] InvalidProps');
      expect(error).toContain(message);
    });
  });
});
