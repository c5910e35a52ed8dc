import { canonicalEmail, domainRefusal, isDisposable } from './email-address';

const DEFAULT_DOMAINS = ['gmail.com', 'googlemail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'live.com'];

describe('canonicalEmail', () => {
  it.each([
    ['Jane.Doe+keys@Gmail.com', 'janedoe@gmail.com'],
    ['j.a.n.e.doe@googlemail.com', 'janedoe@gmail.com'],
    ['JaneDoe@gmail.com', 'janedoe@gmail.com'],
    ['jane.doe+x@outlook.com', 'jane.doe@outlook.com'],
    ['Jane.Doe@Yahoo.com', 'jane.doe@yahoo.com'],
  ])('maps %s to the mailbox %s', (input, expected) => {
    expect(canonicalEmail(input)).toBe(expected);
  });
});

describe('domainRefusal', () => {
  it('accepts the default providers', () => {
    for (const domain of DEFAULT_DOMAINS) expect(domainRefusal(`someone@${domain}`, DEFAULT_DOMAINS)).toBeNull();
  });

  it('names the allow-list rule for a domain outside it', () => {
    expect(domainRefusal('ceo@example.com', DEFAULT_DOMAINS)).toEqual({ rule: 'DOMAIN_NOT_ALLOWED', domain: 'example.com' });
  });

  it('names the disposable rule for a throwaway domain, even when every domain is allowed', () => {
    expect(domainRefusal('x@mailinator.com', DEFAULT_DOMAINS)).toEqual({ rule: 'DISPOSABLE_DOMAIN', domain: 'mailinator.com' });
    expect(domainRefusal('x@yopmail.com', ['*'])).toEqual({ rule: 'DISPOSABLE_DOMAIN', domain: 'yopmail.com' });
    expect(domainRefusal('x@example.org', ['*'])).toBeNull();
  });

  it('treats subdomains of wildcard-listed services as disposable', () => {
    expect(isDisposable('anything.33mail.com')).toBe(true);
    expect(isDisposable('gmail.com')).toBe(false);
  });
});
