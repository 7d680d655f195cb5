#!/usr/bin/env node
/**
 * The `tmate-relay` command: dispatches to a subcommand. Exit codes: 0 ok, 2 usage or
 * configuration error, 1 runtime failure. Output that cannot be written (a closed pipe) is dropped.
 */
import { runCli } from './cli/run-cli.js';

// stdout and stderr may be pipes whose reader goes away (`tmate-relay serve | head`, a log shipper
// that restarts). A write to them then fails with EPIPE, which as an unhandled 'error' event would
// end the process: every session of a relay, or the shared session of a host. What is printed is
// for people; the sessions matter more. So errors of the output streams are dropped.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

runCli(process.argv.slice(2), process.env).then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tmate-relay: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
