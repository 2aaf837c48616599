#!/usr/bin/env node
// Entry point of `npx brook`: checks the runtime, then runs the TypeScript CLI directly
// (Node 24 strips types; there is no build step).
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `brook: needs Node.js 24 or later, this is ${process.version}.\n` +
      'Run it through npm so the pinned runtime is used: `npx brook ...` or `npm start` in the project folder.\n',
  );
  process.exit(1);
}
await import('../src/cli/main.ts');
