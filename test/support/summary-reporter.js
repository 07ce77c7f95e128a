'use strict';
/**
 * Lists the skipped tests by name, then ends the run with one plain line,
 * `Tests: N passed, N failed, N skipped`, that CI tooling reads whatever the runner; jest's own
 * summary stays above it.
 */
class SummaryLineReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    // What did not run, by name: suites that need a server this machine does not have.
    const skipped = results.testResults.flatMap((file) =>
      file.testResults.filter((test) => test.status === 'pending').map((test) => test.fullName),
    );
    if (skipped.length > 0) process.stdout.write(`\nSkipped:\n${skipped.map((name) => `- ${name}`).join('\n')}\n`);
    process.stdout.write(`\nTests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`);
  }
}

module.exports = SummaryLineReporter;
