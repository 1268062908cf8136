import type { z } from 'zod';
import type { ConnectorError } from '../errors.js';
import type { Connection } from './connection.js';

/** The plugin API this build of `@osiris/core` speaks; a plugin built for another is refused. */
export const API_VERSION = 1;

/** What a family can do; the CLI and runners read it before calling optional members. */
export type Capability = 'read' | 'write' | 'discover' | 'query' | (string & {});

/**
 * What a connection is told about itself when it is opened. Core always sets `signal` and
 * `configDir`; they are optional so that a test may call `plugin.connect(config, { reference, alias })`.
 */
export interface ConnectContext {
  /** `@family.alias` being connected. */
  reference: string;
  /** The alias part of the reference. */
  alias: string;
  /** Aborted when the caller stops waiting (doctor's timeout, the manager closing): stop connecting. */
  signal?: AbortSignal;
  /** `Date.now()` value by which the caller wants `connect()` settled; absent when no one set one. */
  deadline?: number;
  /** Directory of the connections file; relative paths in the config resolve against it (default: the working directory). */
  configDir?: string;
}

/** Everything a plugin author writes to add a family. */
export interface ConnectorDefinition<
  TSchema extends z.ZodType = z.ZodType,
  TConnection extends Connection = Connection,
> {
  /** Family name used in references (`@mysql.main`); matches `^[a-z][a-z0-9_-]*$`. */
  family: string;
  /** The core plugin API version the plugin was built for (`API_VERSION`). */
  apiVersion: number;
  /** Validates and coerces one alias's config; its JSON Schema is exported for tools. */
  configSchema: TSchema;
  /** JSON Pointers (`/password`) of secret fields, on top of the common secret names. */
  secrets?: readonly string[];
  /** What connections of this family can do. */
  capabilities: readonly Capability[];
  /**
   * Opens a connection (or pool) for one validated config. It is lazy (opens nothing until first use)
   * or bounded (gives up by `context.deadline` and when `context.signal` aborts), and has no side
   * effects a check should not have (no directories created, no rows written).
   */
  connect(config: z.output<TSchema>, context: ConnectContext): Promise<TConnection>;
  /** Turns a driver error into a categorised `ConnectorError`; undefined leaves it to core. */
  classifyError?(error: unknown): ConnectorError | undefined;
  /** One line describing a config for listings (`app@db:3306/sales`); never includes a secret. */
  summarize?(config: z.output<TSchema>): string;
}

/** A validated, frozen connector definition, ready for a registry. */
export interface ConnectorPlugin<
  TSchema extends z.ZodType = z.ZodType,
  TConnection extends Connection = Connection,
> extends Readonly<ConnectorDefinition<TSchema, TConnection>> {
  /** JSON Schema (draft 2020-12) of the config as a user writes it. */
  jsonSchema(): Record<string, unknown>;
}
