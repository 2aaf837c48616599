#!/usr/bin/env node
// Entry point of `npx brook`: checks the runtime, then runs the TypeScript CLI directly
// (Node 24 strips types; there is no build step). `brook up` runs in a child Node with a capped
// JS heap (see heap-budget.js): V8 sizes its heap from the machine's RAM and, at full speed, lets
// garbage grow to several times the ~100 MB the pipeline keeps live.
import { followParent, heapBudgetMb, runWithHeapBudget } from './heap-budget.js';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `brook: needs Node.js 24 or later, this is ${process.version}.\n` +
      'Run it through npm so the pinned runtime is used: `npx brook ...` or `npm start` in the project folder.\n',
  );
  process.exit(1);
}
const budget = heapBudgetMb(process.argv.slice(2), process.env, process.execArgv);
if (budget !== undefined) runWithHeapBudget(budget);
else {
  followParent();
  await import('../src/cli/main.ts');
}
