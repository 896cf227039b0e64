import { describe, expect, it } from 'vitest';
import { isFormRequest, readForm, RequestParams } from '../../src/oauth/params.ts';
import { oauthErrorCode } from '../helpers/errors.ts';

function params(query: string): RequestParams {
  return new RequestParams(new URLSearchParams(query));
}

describe('RequestParams', () => {
  it('treats an empty value as absent (RFC 6749 §3.1)', () => {
    expect(params('a=').get('a')).toBeUndefined();
    expect(params('a=').has('a')).toBe(false);
    expect(oauthErrorCode(() => params('a=').require('a'))).toBe('invalid_request');
  });

  it('refuses a repeated parameter with invalid_request', () => {
    expect(oauthErrorCode(() => params('a=1&a=2').get('a'))).toBe('invalid_request');
    expect(oauthErrorCode(() => params('a=1&a=1').get('a'))).toBe('invalid_request');
  });

  it('refuses a value over the length limit instead of truncating it', () => {
    expect(params(`a=${'x'.repeat(10)}`).get('a', 10)).toBe('x'.repeat(10));
    expect(oauthErrorCode(() => params(`a=${'x'.repeat(11)}`).get('a', 10))).toBe('invalid_request');
    expect(oauthErrorCode(() => params(`a=${'x'.repeat(2049)}`).get('a'))).toBe('invalid_request');
  });

  it('decodes percent-encoding and plus signs', () => {
    expect(params('a=x%20y+z').get('a')).toBe('x y z');
  });
});

describe('isFormRequest', () => {
  it.each([
    ['application/x-www-form-urlencoded', true],
    ['application/x-www-form-urlencoded; charset=UTF-8', true],
    ['APPLICATION/X-WWW-FORM-URLENCODED', true],
    ['application/json', false],
    ['multipart/form-data; boundary=x', false],
    ['application/x-www-form-urlencodedx', false],
    ['text/plain', false],
    ['', false],
  ])('%j is a form: %s', (type, expected) => {
    const request = new Request('https://x.test', { method: 'POST', headers: type ? { 'Content-Type': type } : {}, body: 'a=1' });
    expect(isFormRequest(request)).toBe(expected);
  });
});

describe('RequestParams.fromForm and readForm', () => {
  it('refuses a non-form body with invalid_request', async () => {
    const request = new Request('https://x.test', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    await expect(RequestParams.fromForm(request)).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('decodes the body as UTF-8 and replaces malformed bytes', async () => {
    const body = new Uint8Array([...new TextEncoder().encode('a=%C3%A9&b='), 0xff, 0xfe]);
    const request = new Request('https://x.test', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
    const form = await readForm(request);
    expect(form.get('a')).toBe('é');
    expect(form.get('b')).toBe('\ufffd\ufffd');
  });
});
