#!/usr/bin/env node
// Entry for `npx stipend` and the container image; the CLI itself is TypeScript run by Node 24.
await import('../src/cli/main.ts');
