/** Setting paths back to lines and columns: the inverse of joinPath, and the node each kind of setting points at. */
import { LineCounter, parseDocument } from 'yaml';
import { joinPath } from '../../constructs/internal/validation';
import { locator, pathSegments } from '../../stacks/config-position';

describe('pathSegments', () => {
  test.each([
    ['', []],
    ['(top level)', []],
    ['tenants.contoso.environments.prod.eventHub.messageRetentionInDays', ['tenants', 'contoso', 'environments', 'prod', 'eventHub', 'messageRetentionInDays']],
    ['routing.AuditLogs[1]', ['routing', 'AuditLogs', 1]],
    ['alerts.overrides.brute-force-single-account.parameters', ['alerts', 'overrides', 'brute-force-single-account', 'parameters']],
    ['customDetections[2].dimensions[0].values', ['customDetections', 2, 'dimensions', 0, 'values']],
    ['routing.My Category[0]', ['routing', 'My Category', 0]],
  ])('%s', (path, segments) => {
    expect(pathSegments(path)).toEqual(segments);
  });

  test.each([['My Table'], ['a.b'], ['x"y'], ['[0]'], ['ümlaut'], ['0']])('reads back the key %j as joinPath quotes it', (key) => {
    expect(pathSegments(joinPath(joinPath('tags', key), 0))).toEqual(['tags', key, 0]);
  });

  test('a key cut by joinPath is matched by its first 80 characters', () => {
    expect(pathSegments(joinPath('tenants', 't'.repeat(1000)))).toEqual(['tenants', { prefix: 't'.repeat(80) }]);
  });

  test('a path that is not joinPath\'s stops at what it can read', () => {
    expect(pathSegments('tags["unclosed')).toEqual(['tags']);
  });
});

describe('locator', () => {
  const text = [
    'tenants:', //                                 1
    '  contoso:', //                               2
    '    tags: { "cost center": a1 }', //          3
    '    routing:', //                             4
    '      AuditLogs: [logAnalytics, storage]', // 5
    '    list:', //                                6
    '      - name: first', //                      7
    '      - name: second', //                     8
    '    empty:', //                               9
    '    shared: &s { x: 1 }', //                  10
    '    again: *s', //                            11
    '    long' + 't'.repeat(100) + ': 1', //       12
  ].join('\n');
  const lines = new LineCounter();
  const locate = locator(parseDocument(text, { lineCounter: lines }), lines);

  test.each([
    ['a scalar: its value', 'tenants.contoso.routing.AuditLogs[1]', {}, { line: 5, col: 33 }],
    ['a map: its key', 'tenants.contoso.routing', {}, { line: 4, col: 5 }],
    ['a flow list: its key', 'tenants.contoso.routing.AuditLogs', {}, { line: 5, col: 7 }],
    ['a quoted key', joinPath('tenants.contoso.tags', 'cost center'), {}, { line: 3, col: 28 }],
    ['a key asked for', joinPath('tenants.contoso.tags', 'cost center'), { key: true }, { line: 3, col: 13 }],
    ['an element of a list of maps', 'tenants.contoso.list[1]', {}, { line: 8, col: 9 }],
    ['a setting in an element', 'tenants.contoso.list[1].name', {}, { line: 8, col: 15 }],
    ['an empty value: its key', 'tenants.contoso.empty', {}, { line: 9, col: 5 }],
    ['a setting through an alias', 'tenants.contoso.again.x', {}, { line: 10, col: 21 }],
    ['a setting not in the file: the key of the closest section', 'tenants.contoso.backend.type', {}, { line: 2, col: 3 }],
    ['an index past the end of a list', 'tenants.contoso.list[5].name', {}, { line: 6, col: 5 }],
    ['a key cut in the path', joinPath('tenants.contoso', `long${'t'.repeat(100)}`), { key: true }, { line: 12, col: 5 }],
    ['the file as a whole', '', {}, { line: 1, col: 1 }],
  ])('%s', (_what, path, options, position) => {
    expect(locate(path, options)).toEqual(position);
  });

  test('an empty document has no positions', () => {
    const empty = new LineCounter();
    expect(locator(parseDocument('', { lineCounter: empty }), empty)('tenants')).toBeUndefined();
  });
});
