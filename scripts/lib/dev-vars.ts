// .dev.vars: the local secrets wrangler dev gives the Worker, read with wrangler's own parser and written once.
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { unstable_getVarsForDev as GetVarsForDev } from 'wrangler';
import { CliError } from './cli-error.ts';
import type { Project } from './project.ts';

export function devVarsPath(project: Project): string {
  return join(project.root, '.dev.vars');
}

function textBindings(bindings: ReturnType<typeof GetVarsForDev>): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, binding] of Object.entries(bindings)) {
    if (binding.type === 'secret_text' || binding.type === 'plain_text') text[name] = binding.value;
  }
  return text;
}

/** The secrets `wrangler dev` would load for this project (.dev.vars, or .env files when it is absent). */
export async function readDevSecrets(project: Project): Promise<Record<string, string>> {
  const { unstable_getVarsForDev: getVarsForDev } = await import('wrangler');
  return textBindings(getVarsForDev(project.configPath, undefined, {}, undefined, true));
}

/** The text vars `wrangler dev` gives the Worker before any --var: wrangler.toml [vars], then .dev.vars over them. */
export async function readDevVars(project: Project): Promise<Record<string, string>> {
  const { unstable_getVarsForDev: getVarsForDev, unstable_readConfig: readConfig } = await import('wrangler');
  const config = readConfig({ config: project.configPath }, { hideWarnings: true });
  return textBindings(getVarsForDev(project.configPath, undefined, config.vars, undefined, true));
}

// Single quotes keep dotenv from expanding or unescaping anything inside (the JWKS is JSON).
function quote(name: string, value: string): string {
  if (value.includes("'") || value.includes('\n')) throw new CliError(`${name} cannot be written to .dev.vars: it contains a quote or newline`);
  return `'${value}'`;
}

export function formatDevVars(secrets: Record<string, string>, header: string): string {
  const lines = Object.entries(secrets).map(([name, value]) => `${name}=${quote(name, value)}`);
  return `${header}\n${lines.join('\n')}\n`;
}

/**
 * Writes .dev.vars unless it exists (never overwrites), readable by the owner only, then reads it back
 * with wrangler's parser and checks every value survived exactly. Returns false when it already existed.
 */
export async function writeDevVarsOnce(project: Project, secrets: Record<string, string>, header: string): Promise<boolean> {
  const path = devVarsPath(project);
  if (existsSync(path)) return false;
  try {
    writeFileSync(path, formatDevVars(secrets, header), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  const parsed = await readDevSecrets(project);
  for (const [name, value] of Object.entries(secrets)) {
    if (parsed[name] !== value) throw new CliError(`.dev.vars was written but wrangler reads ${name} back differently`);
  }
  return true;
}

/**
 * Adds the secrets an existing .dev.vars lacks (one made before a new secret such as DATA_ENCRYPTION_KEY existed),
 * leaving every other line as it is; returns their names.
 */
export async function addMissingDevSecrets(project: Project, secrets: Record<string, string>): Promise<string[]> {
  const present = await readDevSecrets(project);
  const missing = Object.fromEntries(Object.entries(secrets).filter(([name]) => !present[name]));
  if (Object.keys(missing).length === 0) return [];
  appendFileSync(devVarsPath(project), formatDevVars(missing, '# Added by npm run dev: a secret this version needs.'));
  return Object.keys(missing);
}

export function hasDevVars(project: Project): boolean {
  return existsSync(devVarsPath(project));
}
