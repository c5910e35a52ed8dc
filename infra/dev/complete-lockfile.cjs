// Run after every `npm install` that changes package-lock.json: `node infra/dev/complete-lockfile.cjs`.
// The registry mirror these machines use cannot serve some optional platform packages
// (@swc/core-darwin-arm64 answers 404), so npm leaves them out of the lock and `npm ci` then
// refuses the lock as out of sync. This adds an entry for each (version, optional, os/cpu from
// its name); npm skips them on other platforms and tolerates an optional one that fails.
const fs = require('fs');
const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
const pk = lock.packages;
let added = 0;
for (const [path, meta] of Object.entries(pk)) {
  for (const [name, range] of Object.entries(meta.optionalDependencies || {})) {
    const base = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
    if (pk[base] || pk[`node_modules/${name}`]) continue;
    const m = /(darwin|win32|linux|android|freebsd|openbsd|sunos|aix|netbsd|wasm32|wasi)/.exec(name);
    const cpu = /(arm64|x64|ia32|arm|ppc64|s390x|riscv64|loong64|wasm32)/.exec(name.replace(/.*\//, '').replace(/^(core|msgpackr-extract|resolver-binding)-/, ''));
    const version = String(range).replace(/^[\^~=]/, '');
    const entry = { version, optional: true };
    if (m && m[1] !== 'wasm32' && m[1] !== 'wasi') entry.os = [m[1]];
    if (cpu) entry.cpu = [cpu[1]];
    if (/wasm32|wasi/.test(name)) entry.cpu = ['wasm32'];
    pk[`node_modules/${name}`] = entry;
    added++;
  }
}
fs.writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log('added', added);
