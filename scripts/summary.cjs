// Prints the one closing line `N passed, N failed, N skipped` over every suite of `npm test`.
// Usage: node scripts/summary.cjs BUILD_EXIT FIDELITY_EXIT
const fs = require('fs');

const read = (f) => {
  try {
    return JSON.parse(fs.readFileSync(f, 'utf8'));
  } catch {
    return null;
  }
};
const [buildRc, fidelityRc] = process.argv.slice(2).map(Number);
let passed = 0;
let failed = 0;
let skipped = 0;

if (buildRc !== 0) failed += 1;

const unit = read('reports/unit.json');
if (unit) {
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  // A file that fails to import has no assertions; count it as a failure of its own.
  failed += unit.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed')).length;
  skipped += unit.numPendingTests + unit.numTodoTests;
} else failed += 1;

// The fidelity harness is one check: every case that matched before still matches.
if (fidelityRc === 0) passed += 1;
else failed += 1;

const e2e = read('reports/e2e.json');
if (e2e) {
  passed += e2e.stats.expected + e2e.stats.flaky;
  failed += e2e.stats.unexpected + (e2e.errors || []).length;
  skipped += e2e.stats.skipped;
} else failed += 1;

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
