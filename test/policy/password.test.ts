import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX_CHARS } from '../../src/constants.ts';
import { checkPasswordPolicy, SERVICE_NAME } from '../../src/policy/password.ts';
import { passwordLength } from '../../src/policy/unicode.ts';

const COMMON = 'password is one of the most commonly used passwords (ignoring case, digits for letters and trailing digits or symbols)';
const REPETITIVE = 'password must not repeat a short pattern (like "aaaaaaaa" or "abababab")';
const SEQUENTIAL = 'password must not be only sequences or runs of characters (like "12345678", "abcdefgh", "qwertyui" or "aaaa1111")';

describe('password policy: the blocklist after folding', () => {
  it('refuses common passwords behind case, digit-for-letter swaps and trailing digits or symbols', () => {
    for (const weak of ['Passw0rd!', 'PASSWORD', 'p@$$w0rd', 'P4ssw0rd2024!!', 'Pa55word#', 'L1verp00l', '1etme1n!', 'Sunsh1ne77', 'trustno1?']) {
      expect(checkPasswordPolicy(weak), weak).toBe(COMMON);
    }
  });

  it('does not refuse a password that only contains a common one', () => {
    expect(checkPasswordPolicy('password manager rules')).toBeNull();
    expect(checkPasswordPolicy('Xpassw0rd!')).toBeNull();
  });
});

describe('password policy: repetitive and sequential strings', () => {
  it('refuses a short pattern repeated', () => {
    for (const weak of ['aaaaaaaa', 'abababab', 'abcabcab', 'xyzxyzxyz!', 'zzzzzzzzzzzzzzzzzzzz', '🔑'.repeat(20), 'ab12ab12ab12']) {
      expect(checkPasswordPolicy(weak), weak).toBe(REPETITIVE);
    }
  });

  it('refuses runs of the alphabet, the digits or a keyboard row, forwards or backwards, and chains of them', () => {
    for (const weak of ['bcdefghi', 'hgfedcba', 'qwertyui', 'poiuytrewq', 'asdfghjk', '87654321', '1234abcd', '1111aaaa', 'aaaa1111bbbb', 'ytrewqazerty', 'mnbvcxz123', 'cdefghij!']) {
      expect(checkPasswordPolicy(weak), weak).toBe(SEQUENTIAL);
    }
  });
});

describe('password policy: context words', () => {
  it('refuses a password built on the username, in any case, swap or width', () => {
    for (const weak of ['Margaret.Hamilton', 'margarethamilton!', 'M4rgaretHami1ton', 'ｍａｒｇａｒｅｔ.ｈａｍｉｌｔｏｎ']) {
      expect(checkPasswordPolicy(weak, { username: 'margaret.hamilton' }), weak).toBe('password must not be based on the username');
    }
    expect(checkPasswordPolicy('alice2024!', { username: 'alice' })).toBe('password must not be based on the username');
    expect(checkPasswordPolicy('grace1906!!', { username: 'grace@example.com' })).toBe('password must not be based on the username');
  });

  it('refuses a password built on the service name or the brand name', () => {
    expect(checkPasswordPolicy('Edge-OIDC-2024')).toBe(`password must not be based on the service name "${SERVICE_NAME}"`);
    expect(checkPasswordPolicy('edgeoidc!!')).toBe(`password must not be based on the service name "${SERVICE_NAME}"`);
    expect(checkPasswordPolicy('AcmeCorp#1', { brandName: 'Acme Corp' })).toBe('password must not be based on the service name "Acme Corp"');
    expect(checkPasswordPolicy('AcmeCorp#1')).toBeNull();
  });

  it('accepts a long passphrase that mentions a context word', () => {
    expect(checkPasswordPolicy('alice walks her dog at dawn', { username: 'alice' })).toBeNull();
    expect(checkPasswordPolicy('my edge-oidc passphrase is long', { brandName: 'edge-oidc' })).toBeNull();
  });
});

describe('password policy: good passwords still pass', () => {
  it('accepts passphrases and random passwords', () => {
    for (const good of ['correct horse battery staple', 'Tr0ub4dor&3xq', 'crème brûlée au café', 'sY7#kq2!Lm9w', 'パスワードではない長い文', 'abc dog 123 cat xyz']) {
      expect(checkPasswordPolicy(good, { username: 'alice', brandName: 'Acme' }), good).toBeNull();
    }
  });

  it('measures length in code points of the NFKC form, as sign-in does', () => {
    const astral = Array.from({ length: PASSWORD_MAX_CHARS }, (_, i) => String.fromCodePoint(0x1f300 + ((i * 37) % 0x2ff))).join('');
    expect(passwordLength(astral)).toBe(PASSWORD_MAX_CHARS);
    expect(checkPasswordPolicy(astral)).toBeNull();
    expect(checkPasswordPolicy(`${astral}x`)).toBe(`password must be at most ${PASSWORD_MAX_CHARS} characters long`);
    expect(passwordLength('e\u0301'.repeat(4))).toBe(4);
  });
});
