/**
 * A throttled one-line progress indicator on stderr, shown only on a terminal (CI logs stay clean).
 */
export function progressReporter(label: string, total: number | undefined): { tick: (done: number) => void; clear: () => void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  return {
    tick(done: number) {
      if (!tty) return;
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      process.stderr.write(`\r\x1b[2K  ${label}  ${done}${total ? `/${total}` : ''} instances`);
    },
    clear() {
      if (tty) process.stderr.write('\r\x1b[2K');
    },
  };
}
