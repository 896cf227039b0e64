import { describe, expect, it } from 'vitest';
import { checkMetadataDocumentUrl, isMetadataDocumentUrl } from '../../src/clients/metadata-url.ts';

describe('isMetadataDocumentUrl', () => {
  it('takes URL-shaped ids only (registered ids cannot contain a colon)', () => {
    expect(isMetadataDocumentUrl('https://app.example.com/client.json')).toBe(true);
    expect(isMetadataDocumentUrl('http://localhost:3000/client.json')).toBe(true);
    expect(isMetadataDocumentUrl('my-app')).toBe(false);
    expect(isMetadataDocumentUrl('HTTPS://app.example.com/client.json')).toBe(false);
  });
});

describe('checkMetadataDocumentUrl (draft-ietf-oauth-client-id-metadata-document §3 and the SSRF guard)', () => {
  it.each([
    'https://app.example.com/client.json',
    'https://app.example.com:8443/oauth/client',
    'https://app.example.com/client?v=2',
    'https://8.8.8.8/client.json',
    'https://[2001:db8::1]/client.json',
  ])('accepts %s', (url) => {
    expect(checkMetadataDocumentUrl(url, false)).toBeNull();
  });

  it.each([
    ['no path', 'https://app.example.com/', 'must have a path'],
    ['a bare origin', 'https://app.example.com', 'normal form'],
    ['a fragment', 'https://app.example.com/client.json#x', 'fragment'],
    ['credentials', 'https://user:pw@app.example.com/client.json', 'credentials'],
    ['dot segments', 'https://app.example.com/a/../client.json', 'normal form'],
    ['an upper-case host', 'https://App.example.com/client.json', 'normal form'],
    ['the default port', 'https://app.example.com:443/client.json', 'normal form'],
    ['a hex IPv4 literal', 'https://0x7f.1/client.json', 'normal form'],
    ['http', 'http://app.example.com/client.json', 'must use https'],
    ['another scheme', 'ftp://app.example.com/client.json', 'must use https'],
    ['10.0.0.0/8', 'https://10.1.2.3/client.json', 'private'],
    ['172.16.0.0/12', 'https://172.31.0.1/client.json', 'private'],
    ['192.168.0.0/16', 'https://192.168.1.1/client.json', 'private'],
    ['100.64.0.0/10', 'https://100.100.100.100/client.json', 'private'],
    ['0.0.0.0', 'https://0.0.0.0/client.json', 'private'],
    ['127.0.0.0/8', 'https://127.8.9.10/client.json', 'private'],
    ['169.254.0.0/16', 'https://169.254.169.254/client.json', 'private'],
    ['multicast', 'https://224.0.0.1/client.json', 'private'],
    ['::', 'https://[::]/client.json', 'private'],
    ['::1', 'https://[::1]/client.json', 'private'],
    ['fe80::/10', 'https://[fe80::1]/client.json', 'private'],
    ['fd00::/8', 'https://[fd12:3456::1]/client.json', 'private'],
    ['localhost', 'https://localhost/client.json', 'localhost'],
    ['localhost with a trailing dot', 'https://localhost./client.json', 'localhost'],
    ['a .localhost name', 'https://evil.localhost/client.json', 'localhost'],
    ['more than 256 characters', `https://app.example.com/${'a'.repeat(240)}`, 'longer than 256'],
    ['not a URL', 'https://', 'not a URL'],
  ])('refuses %s', (_, url, why) => {
    expect(checkMetadataDocumentUrl(url, false)).toContain(why);
  });

  it('allows http://localhost and http://127.0.0.1 documents in dev mode only', () => {
    for (const url of ['http://localhost:8788/client.json', 'http://127.0.0.1:8788/client.json']) {
      expect(checkMetadataDocumentUrl(url, true)).toBeNull();
      expect(checkMetadataDocumentUrl(url, false)).toContain('must use https');
    }
    expect(checkMetadataDocumentUrl('http://10.0.0.1:8788/client.json', true)).toContain('must use https');
    expect(checkMetadataDocumentUrl('http://localhost:8788/', true)).toContain('must have a path');
  });
});
