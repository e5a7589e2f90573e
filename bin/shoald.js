#!/usr/bin/env node
// Entry point for the `shoald` node daemon: loads the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/shoald.ts');
