// `doctor --issuer URL [--json] [--remote]`: checks a deployment after deploying (issue 11 §8, docs/cli.md).
import { CliError } from '../cli-error.ts';
import { formatChecks } from '../doctor/check.ts';
import { checkBindings, checkMigrations, checkSecrets } from '../doctor/deployment.ts';
import { checkIssuer, checkJwks, readDiscovery } from '../doctor/published.ts';
import { findProject, resolvePersistDir } from '../project.ts';
import type { CommandContext } from './context.ts';

export async function doctorCommand(ctx: CommandContext): Promise<void> {
  const issuer = ctx.values.issuer;
  if (!issuer) throw new CliError('doctor needs --issuer URL (the ISSUER the Worker should publish)');
  const remote = ctx.values.remote ?? false;
  const project = findProject();
  const discovery = await readDiscovery(issuer);
  const checks = [
    checkIssuer(issuer, discovery),
    await checkJwks(discovery),
    await checkSecrets(project, remote),
    await checkBindings(project, remote),
    await checkMigrations(project, remote, resolvePersistDir(project, ctx.values['persist-to'])),
  ];
  process.stdout.write(formatChecks(checks, ctx.json));
  const failed = checks.filter((c) => !c.ok).length;
  // Exit code 1 through the CLI's one error path; stdout stays the report (or only JSON with --json).
  if (failed > 0) throw new CliError(`doctor: ${failed} of ${checks.length} checks failed`);
}
