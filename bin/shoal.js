#!/usr/bin/env node
// Entry point for the `shoal` CLI: loads the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/shoal.ts');
