// Password policy (NIST SP 800-63B §3.1.1.2): a length range, no commonly used passwords, not the username.
import { PASSWORD_MAX_CHARS } from '../constants.ts';
import { passwordLength } from './unicode.ts';

export const PASSWORD_MIN_CHARS = 8;

// The most used passwords in public breach corpora, lower-cased; short ones stay for lowered minimums.
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
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
]);

export interface PasswordContext {
  /** The account's username: a password equal to it is refused. */
  username?: string;
  minChars?: number;
}

/** Returns why a new password is refused, or null when it is acceptable. Lengths count code points of the NFKC form. */
export function checkPasswordPolicy(password: string, context: PasswordContext = {}): string | null {
  const minChars = context.minChars ?? PASSWORD_MIN_CHARS;
  const length = passwordLength(password);
  if (length < minChars) return `password must be at least ${minChars} characters long`;
  if (length > PASSWORD_MAX_CHARS) return `password must be at most ${PASSWORD_MAX_CHARS} characters long`;
  const folded = password.toLowerCase();
  if (COMMON_PASSWORDS.has(folded)) return 'password is one of the most commonly used passwords';
  if (context.username !== undefined && folded === context.username.toLowerCase()) return 'password must not be the username';
  return null;
}

/** The size of the built-in list, for tests and documentation. */
export const COMMON_PASSWORD_COUNT = COMMON_PASSWORDS.size;
