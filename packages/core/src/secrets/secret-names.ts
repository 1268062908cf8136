/**
 * Secret detection by name. A name is judged by its last word (`ssl_password`, `clientSecret`),
 * so that `password_file` (a path) or `token_url` (an endpoint) are not secrets. `auth`,
 * `authorization` and `bearer` hold tokens; `access_key_id` is half of a cloud credential pair.
 */
const SECRET_NAME =
  /(?:^|_)(?:[a-z0-9]*(?:password|passwd|passphrase|secret|token|signature)s?|pwd|pw|pass|jwt|dsn|credentials?|apikey|conn(?:ection)?_?str(?:ing)?|keys?|auth|authorization|bearer|access_key_id)$/;

/**
 * `*_key` is a secret (`api_key`, `private_key`, `service_role_key`, `ssl_key`) unless the word
 * before it names a data-modelling or public key: those are column lists and paths, not credentials.
 */
const NON_SECRET_KEY =
  /(?:^|_)(?:primary|foreign|unique|sort|partition|distribution|cluster|clustering|shard|natural|business|surrogate|composite|compound|candidate|dedupe|dedup|merge|join|lookup|upsert|conflict|index|hash|range|row|object|cache|idempotency|order|group|public)_keys?$/;

/** Switches about a secret (`auto_refresh_token: true`, `require_password`) hold no secret themselves. */
const FLAG = /^(?:auto|use|require|requires|enable|disable|allow|verify|validate|skip|no|is|has|with)_/;

/** `serviceRoleKey`, `API-Key` and `service_role_key` are the same name. */
function normalize(name: string): string {
  // `APIKey` → `API_Key` by a lookahead: `([A-Z]+)([A-Z][a-z])` is quadratic on a long run of capitals.
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])(?=[A-Z][a-z])/g, '$1_')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
}

/** Whether a field or parameter name is a common secret name (`password`, `api_key`…; not `primary_key`). */
export function isSecretName(name: string): boolean {
  const normalized = normalize(name);
  return SECRET_NAME.test(normalized) && !NON_SECRET_KEY.test(normalized) && !FLAG.test(normalized);
}

/** Splits a JSON Pointer (`/ssl/key`) into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The JSON Pointer of `key` inside the value at `parent`. */
export function childPointer(parent: string, key: string | number): string {
  return `${parent}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/**
 * Whether the field at `path` holds a secret: a JSON Pointer (`/ssl/key`) or a bare name (`password`).
 * It does when the plugin declares it or one of its parents in `declared` (JSON Pointers), or when it
 * or one of its parents has a common secret name (everything inside `credentials:` is secret).
 */
export function isSecretField(path: string, declared: readonly string[] = []): boolean {
  if (!path.startsWith('/')) return isSecretName(path);
  const segments = pointerSegments(path);
  let pointer = '';
  for (const segment of segments) {
    pointer = childPointer(pointer, segment);
    if (declared.includes(pointer) || isSecretName(segment)) return true;
  }
  return false;
}
