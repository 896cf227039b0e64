// A browser's name from its User-Agent, for the sessions list and new-device notices: the common families only.
import { put, type Messages } from '../i18n/catalogue.ts';
import { en } from '../i18n/en.ts';

// No dependency: a label for a person ("Firefox on Linux"), not a fingerprint; an unknown string says so.

// Order matters: Edge and Opera also say Chrome, Chrome also says Safari, every iOS browser says Safari.
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\b(OPR|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(Firefox|FxiOS)\//, 'Firefox'],
  [/\b(Chrome|CriOS|Chromium|HeadlessChrome)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/\bcurl\//, 'curl'],
];

const SYSTEMS: [RegExp, string][] = [
  [/\b(iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

function first(list: [RegExp, string][], ua: string): string | null {
  return list.find(([pattern]) => pattern.test(ua))?.[1] ?? null;
}

/** "Firefox on Linux", "Safari on iOS", "Chrome" (in the reader's words), or null when nothing is recognised (or there is no header). */
export function describeBrowser(userAgent: string | null, t: Messages = en): string | null {
  if (!userAgent) return null;
  const ua = userAgent.slice(0, 512);
  const browser = first(BROWSERS, ua);
  const system = first(SYSTEMS, ua);
  if (browser && system) return put(t.account.browserOn, { browser, system });
  return browser ?? system;
}
