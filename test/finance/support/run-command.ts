// Runs the real CLI entry point (src/cli/main.ts) with this process's arguments.
await import('../../../src/cli/main.ts');
