import { badRequest } from '@marquee/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requireUuid(id: string, what: string): void {
  if (!UUID.test(id)) throw badRequest('INVALID_PARAMETER', `id must be ${what} (a UUID); "${id.slice(0, 40)}" is not`);
}
