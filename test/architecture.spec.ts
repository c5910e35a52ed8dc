import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const depcruise = (args: string[]) =>
  run(join(ROOT, 'node_modules/.bin/depcruise'), [...args, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: ROOT })
    .then(({ stdout }) => ({ ok: true, out: stdout }), (e: { stdout: string }) => ({ ok: false, out: e.stdout }));

describe('Architecture rules', () => {
  it('holds for the code: services import libs only, libs never import services, contracts stand alone', async () => {
    const result = await depcruise(['services', 'libs']);
    expect(result.out).toContain('no dependency violations found');
    expect(result.ok).toBe(true);
  });

  it('catches a service importing another service', async () => {
    const dir = await mkdtemp(join(ROOT, 'services/zz-arch-probe-'));
    try {
      await mkdir(join(dir, 'src'));
      await writeFile(join(dir, 'src/probe.ts'), "import { KeysModule } from '../../keys/src/keys.module';\nexport const probe = KeysModule;\n");
      const result = await depcruise([dir.slice(ROOT.length + 1)]);
      expect(result.ok).toBe(false);
      expect(result.out).toContain('no-cross-service-imports');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
