import { resolve } from 'node:path';

/** The repository root, from src (jest) or the compiled dist/ alike: where portals/ and data/ live. */
export const REPO_ROOT = (() => {
  const marker = `${'/dist/'}`;
  const at = __dirname.lastIndexOf(marker);
  return at >= 0 ? __dirname.slice(0, at) : resolve(__dirname, '../../..');
})();
