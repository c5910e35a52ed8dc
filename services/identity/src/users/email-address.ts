// The maintained list (disposable-email-domains), never a hand-written one.
import disposableDomains from 'disposable-email-domains/index.json';
import disposableWildcards from 'disposable-email-domains/wildcard.json';

const DISPOSABLE = new Set<string>(disposableDomains);
/** Domains whose every subdomain is disposable too (x.33mail.com). */
const DISPOSABLE_PARENTS: string[] = disposableWildcards;
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);
/** Providers that deliver `name+anything@` to `name@`. */
const PLUS_TAG_DOMAINS = new Set(['gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com']);

export type DomainRefusal = { rule: 'DISPOSABLE_DOMAIN' | 'DOMAIN_NOT_ALLOWED'; domain: string };

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * The mailbox an address reaches, so that one person cannot hold several accounts (and so free
 * keys) through aliases: lower-case; +tags dropped where the provider ignores them; for Gmail
 * also the dots, and googlemail.com is gmail.com.
 */
export function canonicalEmail(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  let local = lower.slice(0, at);
  let domain = lower.slice(at + 1);
  if (PLUS_TAG_DOMAINS.has(domain)) local = local.split('+')[0];
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replace(/\./g, '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}

export function isDisposable(domain: string): boolean {
  if (DISPOSABLE.has(domain)) return true;
  return DISPOSABLE_PARENTS.some((parent) => domain === parent || domain.endsWith(`.${parent}`));
}

/**
 * Which rule refuses the address, or null. Disposable first, so the answer names the more
 * specific reason. `allowed` may be ['*']: any domain that is not disposable.
 */
export function domainRefusal(email: string, allowed: readonly string[]): DomainRefusal | null {
  const domain = domainOf(email);
  if (isDisposable(domain)) return { rule: 'DISPOSABLE_DOMAIN', domain };
  if (!allowed.includes('*') && !allowed.includes(domain)) return { rule: 'DOMAIN_NOT_ALLOWED', domain };
  return null;
}
