'use strict';
/**
 * Ends the run with one plain line, `Tests: N passed, N failed, N skipped`, that CI tooling
 * reads whatever the runner; jest's own summary stays above it.
 */
class SummaryLineReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    process.stdout.write(`\nTests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`);
  }
}

module.exports = SummaryLineReporter;
