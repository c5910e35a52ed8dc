const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

/** Prints, and saves for .ci/run, the one plain line CI reads: "N passed, N failed". */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed`;
    const dir = join(__dirname, '..', '..', 'test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'summary.txt'), `${line}\n`);
    process.stdout.write(`\n${line}\n`);
  }
}
module.exports = SummaryReporter;
