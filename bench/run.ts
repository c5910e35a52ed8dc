/**
 * `npm run bench`: runs every benchmark one after the other (never two at once: the machine has
 * two cores), then gathers their results into bench/results/latest.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { log, machine, RESULTS_DIR, ROOT } from './lib/harness';

const BENCHES = ['hot-path', 'key-check', 'search', 'usage', 'usage-reads', 'import'] as const;

function main(): void {
  const only = process.argv.slice(2);
  const chosen = only.length ? BENCHES.filter((b) => only.includes(b)) : [...BENCHES];
  const outcomes: { bench: string; ok: boolean; seconds: number }[] = [];
  for (const bench of chosen) {
    log(`\n=== ${bench} ===`);
    const started = Date.now();
    const run = spawnSync(process.execPath, [join(ROOT, 'dist/bench', `${bench}.js`)], { cwd: ROOT, stdio: 'inherit', timeout: 25 * 60_000 });
    outcomes.push({ bench, ok: run.status === 0, seconds: Math.round((Date.now() - started) / 1000) });
  }
  const m = machine();
  const sections = BENCHES.map((bench) => {
    const file = join(RESULTS_DIR, `${bench}.md`);
    return existsSync(file) ? readFileSync(file, 'utf8').replace(/^# /, '## ') : `## ${bench}\n\nnot run yet\n`;
  });
  const md = [
    '# Marquee benchmarks: latest figures',
    '',
    `Gathered ${m.date} on ${m.cpus} cores (${m.cpu_model}), node ${m.node}. Ratios are measured within one run; ` +
      'benchmarks never pass or fail, the targets are printed beside the figures.',
    '',
    outcomes.length
      ? outcomes.map((o) => `- ${o.bench}: ${o.ok ? 'ran' : '**did not complete**'} this time (${o.seconds} s)`).join('\n')
      : '- gathered from the stored results; each section carries the time of its own run',
    '',
    ...sections,
  ].join('\n');
  writeFileSync(join(RESULTS_DIR, 'latest.md'), md);
  log(`\nwritten: bench/results/latest.md`);
  process.exit(outcomes.every((o) => o.ok) ? 0 : 1);
}

main();
