#!/usr/bin/env node
// The `carequeue-audit` command. It lives outside dist so that the file exists in a fresh clone
// before the first build: pnpm links workspace bins at install time and warns when the target
// is missing. The command itself is built from src/cli/carequeue-audit.ts.
import '../dist/cli/carequeue-audit.js';
