import { describe, expect, test } from 'vitest';
import { API_VERSION, ConnectorError, createRegistry, defineConnector } from '../src/index.js';
import { memoryConnector, memoryDefinition } from './support/memory-connector.js';
import { scriptedConnector } from './support/scripted-connector.js';

const thrown = (fn: () => unknown): ConnectorError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorError);
    return error as ConnectorError;
  }
  throw new Error('expected a ConnectorError');
};

describe('createRegistry', () => {
  test('holds the given plugins: get, has, and list sorted by family', () => {
    const scripted = scriptedConnector('alpha').plugin;
    const registry = createRegistry([memoryConnector, scripted]);
    expect(registry.get('memory')).toBe(memoryConnector);
    expect(registry.has('alpha')).toBe(true);
    expect(registry.has('beta')).toBe(false);
    expect(registry.list().map((plugin) => plugin.family)).toEqual(['alpha', 'memory']);
  });

  test('register adds a plugin later', () => {
    const registry = createRegistry();
    expect(registry.list()).toEqual([]);
    registry.register(memoryConnector);
    expect(registry.get('memory')).toBe(memoryConnector);
  });

  test('a second plugin for a family is DUPLICATE_FAMILY, also among the initial plugins', () => {
    const registry = createRegistry([memoryConnector]);
    const error = thrown(() => registry.register(defineConnector({ ...memoryDefinition })));
    expect(error).toMatchObject({
      code: 'DUPLICATE_FAMILY',
      category: 'config',
      message: 'Connector family "memory" is already registered',
    });
    expect(registry.get('memory')).toBe(memoryConnector);
    expect(thrown(() => createRegistry([memoryConnector, memoryConnector])).code).toBe('DUPLICATE_FAMILY');
  });

  test('a plugin for a newer API is PLUGIN_INCOMPATIBLE naming both versions, and says to upgrade core', () => {
    const newer = defineConnector({ ...memoryDefinition, apiVersion: API_VERSION + 1 });
    const error = thrown(() => createRegistry([newer]));
    expect(error).toMatchObject({
      code: 'PLUGIN_INCOMPATIBLE',
      category: 'config',
      message: `Connector "memory" was built for plugin API version ${API_VERSION + 1}, but this @osiris/core speaks version ${API_VERSION}`,
      hint: `Upgrade @osiris/core to a release that speaks plugin API version ${API_VERSION + 1}`,
    });
  });

  test('a plugin for an older API is PLUGIN_INCOMPATIBLE and says to upgrade the connector', () => {
    const older = defineConnector({ ...memoryDefinition, apiVersion: API_VERSION - 1 });
    expect(thrown(() => createRegistry().register(older))).toMatchObject({
      code: 'PLUGIN_INCOMPATIBLE',
      message: `Connector "memory" was built for plugin API version ${API_VERSION - 1}, but this @osiris/core speaks version ${API_VERSION}`,
      hint: `Upgrade the connector to a release built for plugin API version ${API_VERSION}`,
    });
  });

  test('something that is not a plugin is PLUGIN_INVALID, and so is a bare definition', () => {
    const registry = createRegistry();
    expect(thrown(() => registry.register({ ...memoryConnector, family: 'My DB' }))).toMatchObject({
      code: 'PLUGIN_INVALID',
      message: 'Invalid connector family name "My DB"',
    });
    expect(thrown(() => registry.register(memoryDefinition as never))).toMatchObject({
      code: 'PLUGIN_INVALID',
      message: 'Connector "memory" is a bare definition, not a plugin',
      hint: 'Pass the result of defineConnector({...}), not the object given to it',
    });
    expect(registry.has('memory')).toBe(false);
  });

  test('an unknown family is UNKNOWN_FAMILY listing the registered families and how to install it', () => {
    const registry = createRegistry([memoryConnector, scriptedConnector('alpha').plugin]);
    expect(thrown(() => registry.get('redis'))).toMatchObject({
      code: 'UNKNOWN_FAMILY',
      category: 'config',
      message: 'No connector is registered for family "redis" (registered: alpha, memory)',
      hint: 'Install it with `pnpm add osiris-connector-redis` and register it, or load it with loadConnector("redis")',
    });
  });

  test('the install hint knows first-party packages named otherwise, and an empty registry says so', () => {
    expect(thrown(() => createRegistry().get('filesystem'))).toMatchObject({
      message: 'No connector is registered for family "filesystem" (registered: none)',
      hint: 'Install it with `pnpm add @osiris/connector-fs` and register it, or load it with loadConnector("filesystem")',
    });
  });
});
