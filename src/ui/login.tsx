// The sign-in form: works without JavaScript, labelled fields, the right autocomplete hints.
import type { Branding } from '../env.ts';
import { Layout } from './layout.tsx';

export interface LoginPageProps {
  branding: Branding;
  clientName: string;
  transaction: string;
  username: string;
  error: string | null;
  /** Where the form posts: /login for authorization requests, /device/login for the device flow. */
  action?: string;
}

export function LoginPage({ branding, clientName, transaction, username, error, action = '/login' }: LoginPageProps) {
  return (
    <Layout title="Sign in" branding={branding}>
      <h1>Sign in</h1>
      <p class="lead">
        to continue to <strong>{clientName}</strong>
      </p>
      {error ? (
        <p class="alert" role="alert" id="login-error">
          {error}
        </p>
      ) : null}
      <form method="post" action={action}>
        <input type="hidden" name="tx" value={transaction} />
        <label for="username">Username</label>
        <input
          id="username" name="username" type="text" value={username} required maxlength={256}
          autocomplete="username" autocapitalize="none" spellcheck={false} autofocus={!username}
          aria-describedby={error ? 'login-error' : undefined} aria-invalid={error ? 'true' : undefined}
        />
        <label for="password">Password</label>
        <input
          id="password" name="password" type="password" required maxlength={1024}
          autocomplete="current-password" autofocus={Boolean(username)}
          aria-describedby={error ? 'login-error' : undefined} aria-invalid={error ? 'true' : undefined}
        />
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}
