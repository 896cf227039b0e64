// Fresh secrets for each test run, generated with the same code the dev script and CLI use.
import { generateSecrets } from '../scripts/lib/secrets.ts';

export async function testSecrets(): Promise<Record<string, string>> {
  return generateSecrets();
}
