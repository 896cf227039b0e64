// Where the CLI gets DATA_ENCRYPTION_KEY, so what it encrypts (upstream client secrets) decrypts in the Worker.
import { readFileSync } from 'node:fs';
import { DataKeyConfigError, importDataKeys, type DataKeys } from '../../src/crypto/data-key.ts';
import { CliError } from './cli-error.ts';
import { readDevSecrets } from './dev-vars.ts';
import type { Project } from './project.ts';

export interface DataKeySource {
  project: Project;
  remote: boolean;
  keyFile: string | undefined;
}

/**
 * --data-key-file wins. Otherwise, locally: the DATA_ENCRYPTION_KEY `wrangler dev` loads (.dev.vars); remotely:
 * the DATA_ENCRYPTION_KEY environment variable. The local key is never used remotely: values encrypted under it
 * would not decrypt in production. The same rule as PASSWORD_PEPPER (peppers.ts).
 */
async function readDataKeySecret(source: DataKeySource): Promise<string> {
  if (source.keyFile) {
    try {
      return readFileSync(source.keyFile, 'utf8').trim();
    } catch {
      throw new CliError(`cannot read the data key file ${source.keyFile}`);
    }
  }
  if (source.remote) {
    const value = process.env.DATA_ENCRYPTION_KEY?.trim();
    if (!value) throw new CliError('--remote needs the production DATA_ENCRYPTION_KEY: pass --data-key-file FILE or set DATA_ENCRYPTION_KEY');
    return value;
  }
  const value = (await readDevSecrets(source.project)).DATA_ENCRYPTION_KEY?.trim();
  if (!value) throw new CliError('DATA_ENCRYPTION_KEY is not in .dev.vars: run npm run dev once to create it, or pass --data-key-file FILE');
  return value;
}

export async function loadDataKeys(source: DataKeySource): Promise<DataKeys> {
  try {
    return await importDataKeys(await readDataKeySecret(source));
  } catch (error) {
    if (error instanceof DataKeyConfigError) throw new CliError(error.message);
    throw error;
  }
}
