// Where the CLI gets PASSWORD_PEPPER, so the hashes it writes verify in the Worker that reads them.
import { readFileSync } from 'node:fs';
import { importPeppers, PepperConfigError, type Peppers } from '../../src/crypto/password.ts';
import { CliError } from './cli-error.ts';
import { readDevSecrets } from './dev-vars.ts';
import type { Project } from './project.ts';

export interface PepperSource {
  project: Project;
  remote: boolean;
  pepperFile: string | undefined;
}

/**
 * --pepper-file wins. Otherwise, locally: the PASSWORD_PEPPER `wrangler dev` loads (.dev.vars); remotely:
 * the PASSWORD_PEPPER environment variable. The local pepper is never used remotely: hashes made with it
 * would not verify in production.
 */
export async function readPepperSecret(source: PepperSource): Promise<string> {
  if (source.pepperFile) {
    try {
      return readFileSync(source.pepperFile, 'utf8').trim();
    } catch {
      throw new CliError(`cannot read the pepper file ${source.pepperFile}`);
    }
  }
  if (source.remote) {
    const value = process.env.PASSWORD_PEPPER?.trim();
    if (!value) throw new CliError('--remote needs the production PASSWORD_PEPPER: pass --pepper-file FILE or set PASSWORD_PEPPER');
    return value;
  }
  const value = (await readDevSecrets(source.project)).PASSWORD_PEPPER?.trim();
  if (!value) throw new CliError('PASSWORD_PEPPER is not in .dev.vars: run npm run dev once to create it, or pass --pepper-file FILE');
  return value;
}

export async function loadPeppers(source: PepperSource): Promise<Peppers> {
  try {
    return await importPeppers(await readPepperSecret(source));
  } catch (error) {
    if (error instanceof PepperConfigError) throw new CliError(error.message);
    throw error;
  }
}
