/** A reference resolved to the config its connector will be opened with. */
export interface ResolvedConnection<TConfig = Record<string, unknown>> {
  /** Canonical `@family.alias` (an `@family` reference resolves to its default alias). */
  reference: string;
  /** Family part of the reference. */
  family: string;
  /** Alias part of the reference. */
  alias: string;
  /** Interpolated, validated and coerced config, `default` flag removed; prints masked. */
  config: TConfig;
}

/** Turns `@family.alias` references into validated configs; see `createResolver`. */
export interface Resolver {
  /** Interpolates and validates one alias lazily; throws `ConnectorError` (MISSING_ENV, CONFIG_INVALID…). */
  resolve(reference: string): ResolvedConnection;
  /** Every `@family.alias` in the connections file, sorted. */
  references(): string[];
}
