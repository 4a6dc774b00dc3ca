import { globMatches, MAX_SELECTION_CHARS, selectStacks, StackSelectionError } from '../../stacks/stack-selection';

const IDS = ['contoso-dev', 'contoso-prod', 'fabrikam-prod'];

function problemsOf(spec: string): readonly string[] {
  try {
    selectStacks(IDS, spec);
  } catch (e) {
    expect(e).toBeInstanceOf(StackSelectionError);
    return (e as StackSelectionError).problems;
  }
  throw new Error(`no problem with ${JSON.stringify(spec)}`);
}

describe('globMatches', () => {
  test.each([
    ['contoso-dev', 'contoso-dev', true],
    ['contoso-dev', 'contoso-de', false],
    ['contoso-de', 'contoso-dev', false],
    ['contoso-*', 'contoso-prod', true],
    ['contoso-*', 'contoso-', true],
    ['contoso-*', 'fabrikam-prod', false],
    ['*-prod', 'fabrikam-prod', true],
    ['*-prod', 'contoso-dev', false],
    ['*', 'anything', true],
    ['c*o*-d?v', 'contoso-dev', true],
    ['c*o*-d?v', 'contoso-dv', false],
    ['????????-prod', 'fabrikam-prod', true],
    ['???????-prod', 'fabrikam-prod', false],
    ['**a', 'aaaa', true],
    ['*a*a*a*b', 'aaaaaaaaaaaaaaaaaaaaaaaaaa', false],
  ])('%s against %s: %s', (pattern, text, expected) => {
    expect(globMatches(pattern, text)).toBe(expected);
  });
});

describe('selectStacks', () => {
  test('unset or blank selects every stack, in configuration order', () => {
    expect(selectStacks(IDS, undefined)).toEqual(IDS);
    expect(selectStacks(IDS, '')).toEqual(IDS);
    expect(selectStacks(IDS, '  ')).toEqual(IDS);
  });

  test('ids and globs select the stacks they match, once each, in configuration order', () => {
    expect(selectStacks(IDS, 'contoso-prod')).toEqual(['contoso-prod']);
    expect(selectStacks(IDS, ' fabrikam-prod , contoso-dev ')).toEqual(['contoso-dev', 'fabrikam-prod']);
    expect(selectStacks(IDS, '*-prod')).toEqual(['contoso-prod', 'fabrikam-prod']);
    expect(selectStacks(IDS, 'contoso-*,contoso-dev')).toEqual(['contoso-dev', 'contoso-prod']);
  });

  test('fails on an unknown id, suggesting a near one and listing the configured stacks', () => {
    expect(() => selectStacks(IDS, 'contoso-prd')).toThrow(
      new StackSelectionError(['"contoso-prd" matches no configured stack (did you mean "contoso-prod"?); the configured stacks are contoso-dev, contoso-prod, fabrikam-prod']),
    );
    expect(() => selectStacks(IDS, 'contoso-prd')).toThrow(/^ENTRA_AUDIT_STACKS: "contoso-prd" matches no configured stack/);
  });

  test('fails on a glob that matches nothing, without a suggestion', () => {
    expect(problemsOf('northwind-*')).toEqual(['"northwind-*" matches no configured stack; the configured stacks are contoso-dev, contoso-prod, fabrikam-prod']);
  });

  test('reports every bad entry at once, numbered, even when others match', () => {
    const problems = problemsOf('contoso-dev,Contoso-Prod,,nope');
    expect(problems).toEqual([
      'entry 2 got "Contoso-Prod"; expected a stack id (lowercase letters, digits, "-") or a glob using * and ?, at most 64 characters; the configured stacks are contoso-dev, contoso-prod, fabrikam-prod',
      'entry 3 is empty; expected a stack id or a glob such as contoso-* (remove the extra comma)',
      'entry 4 "nope" matches no configured stack; the configured stacks are contoso-dev, contoso-prod, fabrikam-prod',
    ]);
    let message = '';
    try {
      selectStacks(IDS, 'contoso-dev,Contoso-Prod,,nope');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(`ENTRA_AUDIT_STACKS: 3 problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  });

  test('fails on an entry with characters no stack id has, or too long', () => {
    expect(problemsOf('contoso dev')[0]).toMatch(/^got "contoso dev"; expected a stack id/);
    expect(problemsOf('[a-z]*')[0]).toMatch(/^got "\[a-z\]\*"; expected a stack id/);
    expect(problemsOf(`${'a'.repeat(65)}`)[0]).toMatch(/^got "a{65}"; expected .*at most 64 characters/);
  });

  test('fails on a value longer than it reads, without echoing it', () => {
    const huge = `${'contoso-dev,'.repeat(Math.ceil(MAX_SELECTION_CHARS / 12))}`;
    expect(problemsOf(huge)).toEqual([`got ${huge.length} characters; expected at most ${MAX_SELECTION_CHARS}: comma-separated stack ids or globs (the configured stacks are contoso-dev, contoso-prod, fabrikam-prod)`]);
  });
});
