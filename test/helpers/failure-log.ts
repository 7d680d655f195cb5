// The relay's log lines during one test, kept in memory and printed only if that test fails: a
// flaky end-to-end failure then comes with what the relay did (joins, errors, dropped input), and
// passing tests stay quiet. Keeps the last MAX_LINES lines.
import { onTestFailed } from 'vitest';
import { pino, type Logger } from 'pino';

const MAX_LINES = 2000;

export function failureLog(label: string): Logger {
  const lines: string[] = [];
  const sink = {
    write(line: string): void {
      lines.push(line.trimEnd());
      if (lines.length > MAX_LINES) lines.shift();
    },
  };
  onTestFailed(() => {
    process.stderr.write(`--- ${label}: relay log of the failed test (${lines.length} lines) ---\n${lines.join('\n')}\n--- end of relay log ---\n`);
  });
  return pino({ level: 'debug', base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, sink);
}
