// The sign-up form's fields, read and checked before anything is looked up (no account is named by a refusal).
import { checkPasswordPolicy } from '../policy/password.ts';
import { checkName, checkUsername, isEmailAddress } from '../policy/registration.ts';

export interface SignupFields {
  username: string;
  email: string;
  name: string;
  password: string;
}

const MAX_FIELD_CHARS = 256;

/**
 * The typed values (trimmed and cut to a length a page may echo) and why they cannot register, or null. With an
 * invite the address is the invite's: the form shows it, but what is posted for it is ignored.
 */
export function readSignupFields(form: URLSearchParams, invitedEmail: string | null, brandName: string): { fields: SignupFields; problem: string | null } {
  const echo = (name: string) => (form.get(name) ?? '').trim().slice(0, MAX_FIELD_CHARS);
  const fields: SignupFields = {
    username: echo('username'),
    email: invitedEmail ?? echo('email'),
    name: echo('name'),
    password: form.get('password') ?? '',
  };
  return { fields, problem: checkFields(form, fields, brandName) };
}

function checkFields(form: URLSearchParams, f: SignupFields, brandName: string): string | null {
  // Oversized input is refused as a whole, never stored cut short.
  if (['username', 'email', 'name'].some((k) => (form.get(k) ?? '').trim().length > MAX_FIELD_CHARS)) return 'A field is too long.';
  if (!f.username) return 'Choose a username.';
  const usernameProblem = checkUsername(f.username);
  if (usernameProblem) return sentence(usernameProblem);
  if (!isEmailAddress(f.email) || f.email.length > 254) return 'Enter a valid email address.';
  const nameProblem = checkName(f.name);
  if (nameProblem) return sentence(nameProblem);
  const passwordProblem = checkPasswordPolicy(f.password, { username: f.username, brandName });
  return passwordProblem ? `Choose another password: the ${passwordProblem}.` : null;
}

const sentence = (text: string) => `${text[0]!.toUpperCase()}${text.slice(1)}.`;
