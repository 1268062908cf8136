/**
 * The functions a read-only statement may not name. The read-only transaction already stops every write to
 * the database; these are the calls that act outside it: they sleep, take session locks, signal other
 * backends, touch server files, reach other databases, change settings, sequences or replication state,
 * emit notifications or WAL, or run SQL handed to them as text (which no check of this text could see).
 */

/** Denied by exact name. */
const DENIED_FUNCTIONS: ReadonlySet<string> = new Set([
  'set_config',
  'setseed',
  'nextval',
  'setval',
  'pg_notify',
  'txid_current',
  'pg_current_xact_id',
  'pg_export_snapshot',
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_switch_wal',
  'pg_promote',
  'pg_create_restore_point',
  'pg_start_backup',
  'pg_stop_backup',
  'pg_backup_start',
  'pg_backup_stop',
  'pg_log_backend_memory_contexts',
  'pg_import_system_collations',
  'pg_stat_file',
  'pg_current_logfile',
  'loread',
  'lowrite',
  'query_to_xml',
  'query_to_xmlschema',
  'query_to_xml_and_xmlschema',
  'cursor_to_xml',
  'cursor_to_xmlschema',
  'ts_stat',
  'ts_rewrite',
  'pg_prewarm',
  'pg_file_write',
  'pg_file_rename',
  'pg_file_unlink',
  'pg_file_sync',
  'pg_logdir_ls',
  'pg_replication_slot_advance',
  'pg_logical_emit_message',
]);

/** Denied by prefix: whole families. */
const DENIED_PREFIXES: readonly string[] = [
  'pg_sleep', // pg_sleep, pg_sleep_for, pg_sleep_until
  'pg_advisory', // session and transaction advisory locks and unlocks
  'pg_try_advisory',
  'lo_', // large objects: lo_import / lo_export read and write server files
  'pg_read_', // pg_read_file, pg_read_binary_file
  'pg_ls_', // pg_ls_dir, pg_ls_logdir, pg_ls_waldir, pg_ls_tmpdir…
  'dblink', // dblink, dblink_exec, dblink_connect…: statements on another connection
  'pg_stat_reset', // pg_stat_reset, pg_stat_reset_shared…
  'pg_stat_statements_reset',
  'pg_create_', // replication slots, restore points
  'pg_drop_replication',
  'pg_copy_', // pg_copy_logical_replication_slot…
  'pg_replication_origin',
  'pg_logical_slot_', // get_changes consumes a slot
  'pg_wal_replay_',
];

/** True when `name` (folded as the server folds it) is a denied function. */
export function isDeniedFunction(name: string): boolean {
  return DENIED_FUNCTIONS.has(name) || DENIED_PREFIXES.some((prefix) => name.startsWith(prefix));
}
