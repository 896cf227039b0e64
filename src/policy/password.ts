// Password policy (NIST SP 800-63B rev. 4 §3.1.1.2, rev. 3 §5.1.1.2): a length range, and a blocklist of common,
// repetitive, sequential and context-specific passwords, compared after folding case, swaps and trailing symbols.
import { PASSWORD_MAX_CHARS } from '../constants.ts';
import { en } from '../i18n/en.ts';
import { contextForm, foldCase, isRepetitive, isSequential, trailingForms, unswap } from './password-patterns.ts';
import { passwordLength } from './unicode.ts';

export const PASSWORD_MIN_CHARS = 8;

// The most used passwords in public breach corpora, lower-cased; short ones stay for lowered minimums. Held with
// swaps undone (`unswap`), the form candidates are compared in, so one entry covers its leet variants.
const COMMON_PASSWORD_LIST = [
  '123456', '1234567', '12345678', '123456789', '1234567890', '12345678910', '0123456789', '987654321',
  '123123', '123123123', '111111', '11111111', '1111111111', '000000', '00000000', '666666', '88888888',
  '121212', '112233', '654321', '123321', '147258369', '159753', '1q2w3e', '1q2w3e4r', '1q2w3e4r5t',
  '1qaz2wsx', 'zaq12wsx', 'qwerty', 'qwerty1', 'qwerty12', 'qwerty123', 'qwerty1234', 'qwertyuiop',
  'qwe123', 'qweasdzxc', 'asdfgh', 'asdfghjkl', 'asdf1234', 'zxcvbnm', 'zxcvbnm123', 'azerty', 'azertyuiop',
  'password', 'password1', 'password12', 'password123', 'password1234', 'password!', 'passw0rd', 'p@ssw0rd',
  'p@ssword', 'pass1234', 'passpass', 'passwort', 'motdepasse', 'contraseña', 'senha123', 'changeme',
  'changeme123', 'letmein', 'letmein1', 'letmein123', 'welcome', 'welcome1', 'welcome123', 'admin',
  'admin123', 'admin1234', 'administrator', 'root1234', 'toor1234', 'default', 'guest123', 'test1234',
  'testtest', 'secret123', 'iloveyou', 'iloveyou1', 'trustno1', 'abc123', 'abc12345', 'abcd1234',
  'abcdefg', 'abcdefgh', 'aa123456', 'a1b2c3d4', 'football', 'baseball', 'basketball', 'soccer123',
  'princess', 'sunshine', 'superman', 'batman123', 'starwars', 'pokemon1', 'dragon123', 'monkey123',
  'master123', 'michael1', 'jennifer', 'jordan23', 'shadow123', 'whatever', 'freedom1', 'computer',
  'internet', 'samsung1', 'liverpool', 'chelsea1', 'charlie1', 'lovely123', 'loveme12', 'hello123',
  'helloworld', 'q1w2e3r4', 'q1w2e3r4t5', 'fuckyou1', 'access14',
];
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(COMMON_PASSWORD_LIST.map(unswap));

/** The name of the software, always a context word (§3.1.1.2 "the name of the service"). */
export const SERVICE_NAME = 'edge-oidc';

export interface PasswordContext {
  /** The account's username: a password built on it is refused. */
  username?: string;
  /** The deployment's BRAND_NAME, when known: refused like the service name. */
  brandName?: string;
  minChars?: number;
}

/**
 * A password built on a context word: it holds the word (in context form), and what is left besides it would be
 * too short to be a password on its own. "alice2024!" is built on "alice"; a long passphrase that mentions it is not.
 */
function isBuiltOn(password: string, word: string): boolean {
  const target = contextForm(word);
  if ([...target].length < 3) return false;
  const form = contextForm(password);
  return form.includes(target) && passwordLength(form.split(target).join('')) < PASSWORD_MIN_CHARS;
}

/** Which rule refuses a password, and the number or name it names; pages word it from the catalogue (src/i18n/). */
export type PasswordProblem =
  | { rule: 'short' | 'long'; value: string }
  | { rule: 'common' | 'repetitive' | 'sequential' | 'username'; value?: undefined }
  | { rule: 'service'; value: string };

function contextProblem(password: string, context: PasswordContext): PasswordProblem | null {
  const username = context.username;
  if (username !== undefined && [username, username.split('@')[0]!].some((w) => isBuiltOn(password, w))) return { rule: 'username' };
  for (const name of [SERVICE_NAME, context.brandName].filter((n): n is string => Boolean(n))) {
    if (isBuiltOn(password, name)) return { rule: 'service', value: name };
  }
  return null;
}

/** Why a new password is refused, or null when it is acceptable. Lengths count code points of the NFKC form. */
export function findPasswordProblem(password: string, context: PasswordContext = {}): PasswordProblem | null {
  const minChars = context.minChars ?? PASSWORD_MIN_CHARS;
  const length = passwordLength(password);
  if (length < minChars) return { rule: 'short', value: String(minChars) };
  if (length > PASSWORD_MAX_CHARS) return { rule: 'long', value: String(PASSWORD_MAX_CHARS) };
  const forms = trailingForms(foldCase(password));
  if (forms.some((f) => COMMON_PASSWORDS.has(unswap(f)))) return { rule: 'common' };
  if (forms.some(isRepetitive)) return { rule: 'repetitive' };
  if (forms.some(isSequential)) return { rule: 'sequential' };
  return contextProblem(password, context);
}

/** The refusal in English, for the admin CLI (the Worker's pages word it in the reader's language). */
export function checkPasswordPolicy(password: string, context: PasswordContext = {}): string | null {
  const problem = findPasswordProblem(password, context);
  return problem && en.passwordRules[problem.rule](problem.value ?? '');
}

/** The size of the built-in list, for tests and documentation. */
export const COMMON_PASSWORD_COUNT = COMMON_PASSWORDS.size;
