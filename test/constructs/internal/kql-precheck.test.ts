/**
 * The linear pre-check that runs before the Kusto service (no service loaded here): what it
 * refuses, and that strings and comments never fool it.
 */
import { PRECHECK_CODES, precheckKql } from '../../../constructs/internal/kql-precheck';

const LIMITS = { maxQueryChars: 1000, maxNestingDepth: 8 };
const codes = (text: string): string[] => precheckKql(text, LIMITS).map((p) => p.code);

describe('precheckKql', () => {
  test('passes ordinary queries, let statements before one query, a trailing ";" and set options', () => {
    for (const text of [
      'SigninLogs | take 1',
      'let threshold = 5;\nlet f = (t: string) { SigninLogs | where UserPrincipalName == t; };\nSigninLogs\n| where ResultType != "0"',
      'SigninLogs | take 1;',
      'set notruncation;\nSigninLogs | take 1',
      'declare query_parameters(n: int = 1);\nSigninLogs | take n',
      '// a comment; with a semicolon\nSigninLogs | take 1 // .drop table SigninLogs; AuditLogs',
    ]) {
      expect({ text, problems: precheckKql(text, LIMITS) }).toEqual({ text, problems: [] });
    }
  });

  test('management commands are refused, at the start, after comments and after a ";"', () => {
    expect(precheckKql('.drop table SigninLogs', LIMITS)).toEqual([
      expect.objectContaining({ code: PRECHECK_CODES.managementCommand, offset: 0, length: 5, message: expect.stringContaining("'.drop' is a management command, not a query") }),
    ]);
    expect(precheckKql('// clean up\n  .set-or-append T <| SigninLogs', LIMITS)[0]).toMatchObject({ code: PRECHECK_CODES.managementCommand, offset: 14, length: 14 });
    expect(codes('SigninLogs | take 1; .drop table AuditLogs')).toEqual([PRECHECK_CODES.managementCommand]);
    expect(codes('\uFEFF.show tables')).toEqual([PRECHECK_CODES.managementCommand]);
  });

  test('several tabular expression statements are refused, naming where the second starts', () => {
    const problems = precheckKql('SigninLogs | take 1;\nAuditLogs | take 1', LIMITS);
    expect(problems).toEqual([
      expect.objectContaining({ code: PRECHECK_CODES.severalQueries, offset: 21, message: expect.stringContaining("2 query statements separated by ';'") }),
    ]);
    expect(codes('let x = 1; SigninLogs | take x; AuditLogs; Usage')).toEqual([PRECHECK_CODES.severalQueries]);
  });

  test('";", "." and brackets inside strings and comments are not syntax', () => {
    for (const text of [
      'SigninLogs | where AppDisplayName == "a; .drop table T"',
      "SigninLogs | where AppDisplayName == 'it\\'s; (((((((((('",
      'SigninLogs | where AppDisplayName == @"C:\\path\\""; ((((((((((("',
      'SigninLogs | extend x = ```\n;\n.drop table T\n((((((((((\n```',
      'SigninLogs | where x == h"secret; (((((((((("',
      'SigninLogs // ;AuditLogs ((((((((((\n| take 1',
    ]) {
      expect({ text, problems: precheckKql(text, LIMITS) }).toEqual({ text, problems: [] });
    }
  });

  test('brackets nested beyond the limit are refused at the first bracket too many', () => {
    expect(precheckKql(`print ${'('.repeat(9)}1${')'.repeat(9)}`, LIMITS)).toEqual([
      expect.objectContaining({ code: PRECHECK_CODES.nestingTooDeep, offset: 14, message: 'Brackets are nested more than 8 deep here; flatten the query (move inner parts into let statements)' }),
    ]);
    expect(codes(`print ${'('.repeat(8)}1${')'.repeat(8)}`)).toEqual([]);
    expect(codes(`print ${'(['.repeat(5)}`)).toEqual([PRECHECK_CODES.nestingTooDeep]);
  });

  test('a text over the size limit is refused without being scanned', () => {
    expect(precheckKql('x'.repeat(1001), LIMITS)).toEqual([
      { code: PRECHECK_CODES.tooLong, offset: 0, length: 0, message: 'The query is 1001 characters long; the limit is 1000: shorten it, or split it into several detections' },
    ]);
    expect(codes('x'.repeat(1000))).toEqual([]);
  });

  test('an unterminated string ends at its line, so the next line is still checked', () => {
    expect(codes('SigninLogs | where x == "open\n;AuditLogs')).toEqual([PRECHECK_CODES.severalQueries]);
  });
});
