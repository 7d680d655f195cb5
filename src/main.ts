#!/usr/bin/env node
/**
 * The `tmate-relay` command: dispatches to a subcommand. Exit codes: 0 ok, 2 usage or
 * configuration error, 1 runtime failure.
 */
import { runCli } from './cli/run-cli.js';

runCli(process.argv.slice(2), process.env).then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tmate-relay: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
