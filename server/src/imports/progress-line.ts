export interface ProgressOut {
  write(text: string): unknown;
  isTTY?: boolean;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const hours = Math.floor(s / 3600);
  const clock = `${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${clock}` : clock;
}

/**
 * An upload's progress: a bar redrawn in place on a terminal, otherwise a plain line every 10 %
 * (and at least every 30 s), so logs stay short. Rows are counted as the lines sent.
 */
export function progressLine(total: number, out: ProgressOut, now = () => performance.now()) {
  const started = now();
  let lastDraw = -Infinity;
  let lastTenth = -1;
  let lastLine = started;

  // Lines sent, header included: the server counts rows as it parses them.
  const render = (bytes: number, rows: number): string => {
    const seconds = (now() - started) / 1000;
    const fraction = total > 0 ? Math.min(1, bytes / total) : 0;
    // Under half a second the rate is noise (a small file reads in a millisecond).
    const rate = seconds >= 0.5 ? rows / seconds : 0;
    const eta = fraction > 0 ? (seconds / fraction) * (1 - fraction) : Infinity;
    const filled = Math.round(fraction * 24);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(24 - filled)}]`;
    const percent = `${(fraction * 100).toFixed(1).padStart(5)} %`;
    return (
      `${bar} ${percent}  ${megabytes(bytes)} / ${megabytes(total)}  ` +
      `${rows.toLocaleString('en')} lines  ${Math.round(rate).toLocaleString('en')} lines/s  ETA ${duration(eta)}`
    );
  };

  return {
    update(bytes: number, rows: number): void {
      const at = now();
      if (out.isTTY) {
        if (at - lastDraw < 200) return;
        lastDraw = at;
        out.write(`\r${render(bytes, rows)}\u001b[K`);
        return;
      }
      const tenth = total > 0 ? Math.floor((bytes / total) * 10) : 0;
      if (tenth > lastTenth || at - lastLine >= 30_000) {
        lastTenth = tenth;
        lastLine = at;
        out.write(`${render(bytes, rows)}\n`);
      }
    },
    /** The last state, and the end of the redrawn line. */
    finish(bytes: number, rows: number): void {
      out.write(out.isTTY ? `\r${render(bytes, rows)}\u001b[K\n` : `${render(bytes, rows)}\n`);
    },
  };
}
