import type { ConnectorPlugin } from './connector.js';

/** The families an application knows, registered explicitly (no scanning of node_modules). */
export interface Registry {
  /** Adds a plugin; a second plugin for the same family, or one for another API version, is refused. */
  register(plugin: ConnectorPlugin): void;
  /** The plugin of a family; throws `UNKNOWN_FAMILY` (with an install hint) when none is registered. */
  get(family: string): ConnectorPlugin;
  /** Whether a family is registered. */
  has(family: string): boolean;
  /** Every registered plugin, sorted by family. */
  list(): ConnectorPlugin[];
}
