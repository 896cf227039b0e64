// Opening a posted form's transaction: transaction -> client -> registered redirect URI, or the error page.
import type { Context } from 'hono';
import { accountClient, isAccountClient } from '../account/client.ts';
import type { AppEnv } from '../env.ts';
import type { TextKey } from '../i18n/catalogue.ts';
import { isClientRedirectUri } from '../oauth/redirect-uri.ts';
import { pageClientLoader } from '../clients/resolve.ts';
import type { Client } from '../store/clients.ts';
import { renderError } from './render.ts';
import { openTransaction, type Transaction } from './transaction.ts';

/** A posted form's transaction with its client, still registered for the request's redirect URI. */
export interface PostedTransaction extends Transaction {
  client: Client;
}

/** The page shown when a posted form's transaction is missing, altered, expired or not of the kind `accepts`. */
export interface ExpiredPage {
  title: TextKey;
  message: TextKey;
}

/**
 * Opens the form's transaction, then its client, and re-checks the redirect URI (the client may have changed
 * since /authorize): until both are verified, errors are pages and never redirects (RFC 6749 §4.1.2.1).
 */
export async function openPostedTransaction(
  c: Context<AppEnv>,
  form: URLSearchParams,
  expired: ExpiredPage,
  accepts: (tx: Transaction) => boolean = () => true,
): Promise<PostedTransaction | Response> {
  const tx = await openTransaction(c, form.get('tx') ?? undefined);
  if (!tx || !accepts(tx)) return renderError(c, 400, expired.title, expired.message);
  return loadPostedClient(c, tx);
}

/** A transaction our page sealed, with its client re-read and its redirect URI checked again; else the error page. */
export async function loadPostedClient(c: Context<AppEnv>, tx: Transaction): Promise<PostedTransaction | Response> {
  const { issuer } = c.get('services').config;
  // Only a transaction we sealed can name the account client: /authorize never loads it.
  const client = isAccountClient(tx.request.clientId) ? accountClient(issuer) : await pageClientLoader(c)(tx.request.clientId);
  if (!client || !isClientRedirectUri(client, tx.request.redirectUri)) {
    return renderError(c, 400, 'invalidRequest', 'clientGone');
  }
  return { ...tx, client };
}
