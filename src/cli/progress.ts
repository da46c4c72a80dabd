/**
 * A throttled one-line progress indicator on stderr, shown only on a terminal (CI logs stay clean). `tick` shows
 * "label done/total instances"; `show` any line.
 */
export function progressReporter(label: string, total: number | undefined): { tick: (done: number) => void; show: (line: string) => void; clear: () => void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  const show = (line: string): void => {
    if (!tty) return;
    const now = performance.now();
    if (now - last < 100) return;
    last = now;
    process.stderr.write(`\r\x1b[2K  ${line}`);
  };
  return {
    tick: (done) => show(`${label}  ${done}${total ? `/${total}` : ''} instances`),
    show,
    clear() {
      if (tty) process.stderr.write('\r\x1b[2K');
    },
  };
}
