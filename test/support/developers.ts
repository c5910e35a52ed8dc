import { call, uniqueEmail } from './e2e';
import { verificationLink, waitForMails } from './mailbox';

export const DEV_PASSWORD = 'correct horse battery';

export interface Developer {
  id: string;
  email: string;
  key: string;
  keyId: string;
  accessToken: string;
  refreshToken: string;
}

/** The gateway path and query of a link in a mail (the link itself points at PUBLIC_URL). */
export function onGateway(link: string): string {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

/** Signs up through the API, follows the link from the real mail and signs in. */
export async function signUpAndVerify(gateway: string, tag: string, name = 'Test Developer', email = uniqueEmail(tag)): Promise<Developer> {
  const signup = await call(gateway, '/auth/signup', { method: 'POST', body: { name, email, password: DEV_PASSWORD } });
  if (signup.status !== 201) throw new Error(`signup failed: ${signup.status} ${JSON.stringify(signup.body)}`);
  const [mail] = await waitForMails(email, 1, /Confirm/);
  const verified = await call(gateway, onGateway(verificationLink(mail)));
  if (verified.status !== 200) throw new Error(`verify failed: ${verified.status} ${JSON.stringify(verified.body)}`);
  const login = await call(gateway, '/auth/login', { method: 'POST', body: { email, password: DEV_PASSWORD }, headers: { 'x-forwarded-for': randomIp() } });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return {
    id: signup.body.id, email, key: verified.body.api_key.key, keyId: verified.body.api_key.id,
    accessToken: login.body.access_token, refreshToken: login.body.refresh_token,
  };
}

/** A client address of its own, so per-IP sign-in throttling in one test never touches another. */
export function randomIp(): string {
  return `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
}

export const bearer = (developer: Developer) => ({ authorization: `Bearer ${developer.accessToken}` });
