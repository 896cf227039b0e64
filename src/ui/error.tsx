// The error page shown when we cannot (or must not) redirect back to the application.
import type { Branding } from '../env.ts';
import { Layout } from './layout.tsx';

export interface ErrorPageProps {
  branding: Branding;
  title: string;
  message: string;
  requestId?: string | undefined;
}

export function ErrorPage({ branding, title, message, requestId }: ErrorPageProps) {
  return (
    <Layout title={title} branding={branding}>
      <h1>{title}</h1>
      <p class="alert" role="alert">
        {message}
      </p>
      <p class="muted">Go back to the application you came from and try again.</p>
      {requestId ? <p class="muted small">Request id: {requestId}</p> : null}
    </Layout>
  );
}
