// What the CLI prints: JSON alone on stdout with --json, aligned text otherwise; never a secret hash.
import type { Client } from '../../src/store/clients.ts';
import type { AuditEvent } from '../../src/store/audit.ts';
import type { User } from '../../src/store/users.ts';

/**
 * Characters a terminal acts on or reorders rather than shows: controls (C0, DEL, C1: escape sequences,
 * newlines that forge rows), format characters (the bidirectional overrides and isolates of UAX #9,
 * zero-width ones), line and paragraph separators, and lone surrogates. Audit fields come from any caller.
 */
const UNSAFE_IN_TERMINAL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

function codePointHex(char: string, width: number): string {
  return char.codePointAt(0)!.toString(16).toUpperCase().padStart(width, '0');
}

/** Human output: each unsafe character shown as `\xNN` (up to U+00FF) or `\u{NNNN}`, visible and inert. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_IN_TERMINAL, (c) => (c.codePointAt(0)! <= 0xff ? `\\x${codePointHex(c, 2)}` : `\\u{${codePointHex(c, 4)}}`));
}

/** What JSON.stringify leaves raw of that set: it escapes C0 controls and lone surrogates only. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * The rest of the unsafe set is escaped as `\uNNNN` too (it can only occur inside strings), so the output
 * parses to the same values and is inert on a terminal as well.
 */
export function printJson(value: unknown): void {
  const text = JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, (c) =>
    c.length === 2 ? `\\u${codePointHex(c[0]!, 4)}\\u${codePointHex(c[1]!, 4)}` : `\\u${codePointHex(c, 4)}`);
  process.stdout.write(`${text}\n`);
}

/** Human output: each line terminal-safe, so no stored value can move the cursor or add a line. */
export function printLines(lines: string[]): void {
  process.stdout.write(lines.length ? `${lines.map(terminalSafe).join('\n')}\n` : '');
}

export function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** `key: value` lines with the values aligned. */
export function formatFields(fields: [string, string][]): string[] {
  const width = Math.max(...fields.map(([k]) => k.length)) + 2;
  return fields.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`);
}

/** Cells are made terminal-safe before measuring, so escaped values keep the columns aligned. */
export function formatTable(header: string[], unsafeRows: string[][]): string[] {
  const rows = unsafeRows.map((row) => row.map(terminalSafe));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

export function clientType(client: Client): 'public' | 'confidential' {
  return client.tokenEndpointAuthMethod === 'none' ? 'public' : 'confidential';
}

/** A client as the CLI shows it in --json: registration metadata names (RFC 7591 §2), no secret hash. */
export function clientJson(client: Client): Record<string, unknown> {
  return {
    client_id: client.clientId,
    client_name: client.name,
    client_type: clientType(client),
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    grant_types: client.grantTypes,
    scope: client.scopes.join(' '),
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    id_token_signed_response_alg: client.idTokenSignedResponseAlg,
    audience: client.audience,
    resources: client.resources,
    first_party: client.firstParty,
    registered_by: client.registeredBy,
    // null: the deployment's MFA_POLICY.
    mfa_policy: client.mfaPolicy,
    created_at: isoTime(client.createdAt),
    updated_at: isoTime(client.updatedAt),
  };
}

export function clientFields(client: Client): string[] {
  const list = (items: string[]) => (items.length ? items.join(' ') : '(none)');
  return formatFields([
    ['client_id', client.clientId],
    ['name', client.name],
    ['type', `${clientType(client)} (${client.tokenEndpointAuthMethod})`],
    ['grant types', list(client.grantTypes)],
    ['scopes', list(client.scopes)],
    ['redirect URIs', list(client.redirectUris)],
    ['post-logout URIs', list(client.postLogoutRedirectUris)],
    ['id_token alg', client.idTokenSignedResponseAlg],
    ['audience', client.audience ?? '(the issuer)'],
    ['resources', list(client.resources)],
    ['consent', client.firstParty ? 'first-party: not asked' : 'third-party: asked once per scope'],
    ['registered by', client.registeredBy === 'dcr' ? 'dcr (the client itself, POST /register)' : client.registeredBy],
    ['second factor', client.mfaPolicy ?? "the deployment's (MFA_POLICY)"],
    ['created', isoTime(client.createdAt)],
    ['updated', isoTime(client.updatedAt)],
  ]);
}

/** A user as the CLI shows it in --json: OIDC claim names where one exists, no password hash. */
export function userJson(user: User): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    email_verified: user.emailVerified,
    name: user.name,
    disabled: user.disabled,
    created_at: isoTime(user.createdAt),
    updated_at: isoTime(user.updatedAt),
  };
}

export function userFields(user: User): string[] {
  return formatFields([
    ['id (sub)', user.id],
    ['username', user.username],
    ['email', user.email ? `${user.email}${user.emailVerified ? ' (verified)' : ' (not verified)'}` : '(none)'],
    ['name', user.name ?? '(none)'],
    ['status', user.disabled ? 'disabled' : 'enabled'],
    ['created', isoTime(user.createdAt)],
    ['updated', isoTime(user.updatedAt)],
  ]);
}

export function auditJson(e: AuditEvent): Record<string, unknown> {
  let detail: unknown = e.detail;
  try {
    detail = e.detail === null ? null : JSON.parse(e.detail);
  } catch {
    // Free-text detail stays a string.
  }
  return {
    time: isoTime(e.time), type: e.type, outcome: e.outcome, user_id: e.userId, client_id: e.clientId,
    ip: e.ip, user_agent: e.userAgent, request_id: e.requestId, detail,
  };
}

export function auditTable(events: AuditEvent[]): string[] {
  return formatTable(
    ['TIME', 'TYPE', 'OUTCOME', 'USER', 'CLIENT', 'DETAIL'],
    events.map((e) => [isoTime(e.time), e.type, e.outcome, e.userId ?? '-', e.clientId ?? '-', e.detail ?? '']),
  );
}
