// Typed reads of RFC 7591 §2 metadata members from a parsed JSON object; a wrong shape is invalid_client_metadata.
import { OAuthError, type OAuthErrorCode } from '../errors.ts';

export type MetadataObject = Record<string, unknown>;

const CONTROL = /[\x00-\x1f\x7f]/;
const MAX_URI_CHARS = 2000;

function invalid(code: OAuthErrorCode, name: string, why: string): OAuthError {
  return new OAuthError(code, `${name} ${why}`);
}

/** The object a registration or update request carries (RFC 7591 §3.1: a JSON object). */
export function asMetadataObject(value: unknown): MetadataObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OAuthError('invalid_client_metadata', 'the body must be a JSON object of client metadata');
  }
  return value as MetadataObject;
}

/** RFC 7592 §2.2 treats null like an omitted member; both read as undefined. */
export function readString(body: MetadataObject, name: string, maxChars = 200): string | undefined {
  const value = Object.hasOwn(body, name) ? body[name] : undefined;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid('invalid_client_metadata', name, 'must be a string');
  if (value.length > maxChars) throw invalid('invalid_client_metadata', name, `must be at most ${maxChars} characters`);
  if (CONTROL.test(value)) throw invalid('invalid_client_metadata', name, 'must not contain control characters');
  return value;
}

/** An array of strings, duplicates dropped; `code` names the error for a bad shape (invalid_redirect_uri for those). */
export function readStringArray(
  body: MetadataObject, name: string, maxItems: number, code: OAuthErrorCode = 'invalid_client_metadata',
): string[] | undefined {
  const value = Object.hasOwn(body, name) ? body[name] : undefined;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw invalid(code, name, 'must be an array of strings');
  if (value.length > maxItems) throw invalid(code, name, `must have at most ${maxItems} entries`);
  return [...new Set(value as string[])];
}

/** A https URL shown to people (client_uri, logo_uri): never http, javascript: or data:. */
export function readHttpsUri(body: MetadataObject, name: string): string | undefined {
  const value = readString(body, name, MAX_URI_CHARS);
  if (value === undefined) return undefined;
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // Falls through to the refusal below.
  }
  if (!url || url.protocol !== 'https:' || !url.hostname || /\s/.test(value) || url.username || url.password) {
    throw invalid('invalid_client_metadata', name, 'must be an https URL');
  }
  return value;
}

/** One of the allowed values, or the fallback when absent. */
export function readOneOf<T extends string>(body: MetadataObject, name: string, allowed: readonly T[], fallback: T): T {
  const value = readString(body, name, 100);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw invalid('invalid_client_metadata', name, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

const utf8 = new TextDecoder();

/** RFC 7591 §3.1: the request is a JSON object sent as application/json; anything else is refused before parsing. */
export async function readMetadataBody(request: Request): Promise<MetadataObject> {
  if (!/^application\/json\s*(;|$)/i.test(request.headers.get('Content-Type') ?? '')) {
    throw new OAuthError('invalid_request', 'the body must be application/json (RFC 7591 §3.1)');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(await request.arrayBuffer()));
  } catch {
    throw new OAuthError('invalid_request', 'the body is not valid JSON');
  }
  return asMetadataObject(parsed);
}
