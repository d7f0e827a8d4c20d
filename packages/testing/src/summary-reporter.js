// Prints one plain closing line, "tests: N passed, N failed, N skipped", after Jest's own summary, so
// CI (and people skimming logs) read the outcome without parsing Jest's table.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const phase = process.env.LINLI_TEST_PHASE === 'faults' ? 'system-and-fault-tests' : 'tests';
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\n${phase}: ${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests} skipped\n`);
  }
}
module.exports = SummaryReporter;
