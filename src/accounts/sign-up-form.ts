// The sign-up form's fields, read and checked before anything is looked up (no account is named by a refusal).
import type { Messages } from '../i18n/catalogue.ts';
import { findPasswordProblem } from '../policy/password.ts';
import { weakPassword } from '../ui/password.ts';
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
export function readSignupFields(t: Messages, form: URLSearchParams, invitedEmail: string | null, brandName: string): { fields: SignupFields; problem: string | null } {
  const echo = (name: string) => (form.get(name) ?? '').trim().slice(0, MAX_FIELD_CHARS);
  const fields: SignupFields = {
    username: echo('username'),
    email: invitedEmail ?? echo('email'),
    name: echo('name'),
    password: form.get('password') ?? '',
  };
  return { fields, problem: checkFields(t, form, fields, brandName) };
}

function checkFields(t: Messages, form: URLSearchParams, f: SignupFields, brandName: string): string | null {
  // Oversized input is refused as a whole, never stored cut short.
  if (['username', 'email', 'name'].some((k) => (form.get(k) ?? '').trim().length > MAX_FIELD_CHARS)) return t.fieldTooLong;
  if (!f.username) return t.chooseUsername;
  if (checkUsername(f.username)) return t.badUsername;
  if (!isEmailAddress(f.email) || f.email.length > 254) return t.badEmail;
  if (checkName(f.name)) return t.badName;
  const passwordProblem = findPasswordProblem(f.password, { username: f.username, brandName });
  return passwordProblem ? weakPassword(t, passwordProblem) : null;
}
