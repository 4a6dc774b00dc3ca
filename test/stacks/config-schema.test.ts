import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { configJsonSchema } from '../../stacks/config-schema';

describe('the editor JSON Schema of the configuration', () => {
  const committed = JSON.parse(readFileSync('stacks/environments.schema.json', 'utf8'));

  test('the committed stacks/environments.schema.json is current (npm run config:schema)', () => {
    expect(committed).toEqual(configJsonSchema());
  });

  test('it describes every setting of an environment and forbids unknown keys', () => {
    const environment = committed.properties.tenants.additionalProperties.properties.environments.additionalProperties;
    expect(Object.keys(environment.properties)).toEqual(expect.arrayContaining(['subscriptionId', 'location', 'routing', 'logAnalytics', 'eventHub', 'storage', 'readerApp', 'alerts', 'canary', 'backend']));
    expect(environment.additionalProperties).toBe(false);
    expect(environment.required).toEqual(['subscriptionId', 'location']);
  });

  test('the example file points editors at it', () => {
    expect(readFileSync('stacks/environments.yaml', 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./environments.schema.json');
    expect(parse(readFileSync('stacks/environments.yaml', 'utf8')).tenants).toBeDefined();
  });
});
