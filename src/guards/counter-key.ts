// The storage key of an attempt counter: what it guards, what it counts, and a digest of whom.
import { digestToken } from '../crypto/digest.ts';

/** The subject is digested so that no username or address is stored in a counter's key. */
export async function counterKey(purpose: string, kind: string, subject: string): Promise<string> {
  return `${purpose}:${kind}:${await digestToken(subject)}`;
}
