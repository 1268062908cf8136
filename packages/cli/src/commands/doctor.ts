import { type DoctorReport, type DoctorResult, doctor, parseReference } from '@osiris/core';
import { positiveIntegerOption } from '../args.js';
import type { CommandContext } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import { renderDoctorReport } from '../output/doctor-report.js';
import { openSession, type Session } from '../session.js';
import { UsageError } from '../usage-error.js';

/**
 * `doctor [ref…] [--family f] [--timeout ms] [--concurrency n]`: core's doctor over the chosen
 * references. Exit 0 when all answer, 1 when one fails, 2 when one cannot even be set up from
 * the file (invalid config, a missing variable, no connector package for its family).
 */
export async function run(context: CommandContext): Promise<number> {
  const { positionals, options } = context.commandLine;
  const timeoutMs = positiveIntegerOption(options.timeout, 'timeout', 'doctor');
  const concurrency = positiveIntegerOption(options.concurrency, 'concurrency', 'doctor');
  const families = (options.family as string[] | undefined) ?? [];

  // Load only the connectors of the families to check.
  const named = positionals.length > 0 ? positionals : families.map((family) => `@${family}`);
  const session = await openSession(context, named.length > 0 ? named : undefined);
  const references = selectReferences(session, positionals, families);
  const report = withLoadFailures(
    await doctor({
      registry: session.registry,
      resolver: session.resolver,
      references,
      timeoutMs,
      concurrency,
    }),
    session,
  );

  const { output } = context;
  if (output.json) output.printJson(report);
  else output.print(renderDoctorReport(report.results, output.style));
  if (report.results.some((result) => result.status === 'error')) return EXIT.invalid;
  return report.ok ? EXIT.ok : EXIT.failed;
}

/** The references named, else every reference in the file; narrowed to `--family` when given. */
function selectReferences(
  session: Session,
  positionals: readonly string[],
  families: readonly string[],
): string[] {
  const references = positionals.length > 0 ? [...positionals] : session.resolver.references();
  if (families.length === 0) return references;
  const known = [...session.connections.families.keys()];
  const unknown = families.filter((family) => !known.includes(family));
  if (unknown.length > 0) {
    throw new UsageError(
      `No family ${unknown.join(', ')} in ${session.connections.path} (families: ${known.join(', ')})`,
      'doctor',
    );
  }
  return references.filter((reference) => families.includes(parseReference(reference).family));
}

/**
 * Core reports a family without a plugin as "not registered"; the CLI knows more (the package
 * is not installed, or failed to load) and says that instead, with the install command.
 */
function withLoadFailures(report: DoctorReport, session: Session): DoctorReport {
  const results = report.results.map((result): DoctorResult => {
    const failure = session.failures.get(result.family);
    if (failure === undefined || result.code !== 'UNKNOWN_FAMILY') return result;
    return {
      ...result,
      code: failure.code,
      category: failure.category,
      message: failure.message,
      ...(failure.hint ? { hint: failure.hint } : {}),
    };
  });
  return { ...report, results };
}
