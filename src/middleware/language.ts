// The language of a page and of the mail it triggers: ui_locales from the journey, else Accept-Language (docs/decisions.md).
import type { Context, MiddlewareHandler } from 'hono';
import { CATALOGUES, type Locale, type Messages } from '../i18n/catalogue.ts';
import { matchUiLocales, negotiateAcceptLanguage } from '../i18n/negotiate.ts';

export interface LanguageVariables {
  /** Set the first time a text is needed (or by the journey's ui_locales); absent on answers with no text. */
  language?: { locale: Locale; fromHeader: boolean };
}

type LanguageEnv = { Variables: LanguageVariables };

/** The request's language: the journey's ui_locales when one matched, else Accept-Language, else English. */
export function requestLocale<E extends LanguageEnv>(c: Context<E>): Locale {
  let language = c.get('language');
  if (!language) {
    language = { locale: negotiateAcceptLanguage(c.req.header('Accept-Language')), fromHeader: true };
    c.set('language', language);
  }
  return language.locale;
}

/** The texts of the request's language. */
export function texts<E extends LanguageEnv>(c: Context<E>): Messages {
  return CATALOGUES[requestLocale(c)];
}

/** A language the authorization (or logout) request chose with ui_locales; it beats Accept-Language. */
export function useLocale<E extends LanguageEnv>(c: Context<E>, locale: Locale | null | undefined): void {
  if (locale && Object.hasOwn(CATALOGUES, locale)) c.set('language', { locale, fromHeader: false });
}

/** ui_locales as a request sent it (space-separated BCP 47 tags, OIDC Core §3.1.2.1). */
export function useUiLocales<E extends LanguageEnv>(c: Context<E>, uiLocales: string | null | undefined): void {
  useLocale(c, matchUiLocales(uiLocales));
}

/**
 * Content-Language on pages that used a text, and Vary: Accept-Language when the header chose it (a
 * cache must not serve one reader's language to another; RFC 9110 §12.5.5).
 */
export function languageHeaders(): MiddlewareHandler<LanguageEnv> {
  return async (c, next) => {
    await next();
    const language = c.get('language');
    if (!language || !c.res.headers.get('Content-Type')?.startsWith('text/html')) return;
    c.res.headers.set('Content-Language', language.locale);
    if (language.fromHeader) c.res.headers.append('Vary', 'Accept-Language');
  };
}
