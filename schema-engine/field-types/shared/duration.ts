/**
 * Durations are stored as whole seconds; people read and write them as h:mm or h:mm:ss. Pure: the client's
 * inputs and the importer parse text with the same rules the engine formats with.
 */
export type DurationFormat = 'h:mm' | 'h:mm:ss';

export const DURATION_FORMATS = ['h:mm', 'h:mm:ss'] as const;

const CLOCK = /^(-)?\s*(\d+):(\d{1,2})(?::(\d{1,2}(?:\.\d+)?))?$/;
const PLAIN = /^-?\d+(?:\.\d+)?$/;

/**
 * Seconds from text: "1:30" is 1 h 30 min, "1:30:15" adds 15 s (minutes and seconds below 60). A plain number is
 * minutes in the h:mm format and seconds in h:mm:ss (as Airtable reads one), so "90" typed into an h:mm field is 1:30.
 * Undefined when the text is no duration.
 */
export function parseDuration(text: string, format: DurationFormat | undefined): number | undefined {
  const t = text.trim();
  if (PLAIN.test(t)) {
    const n = Number(t);
    return Math.round(format === 'h:mm:ss' ? n : n * 60);
  }
  const m = CLOCK.exec(t);
  if (!m) return undefined;
  const minutes = Number(m[3]);
  const seconds = m[4] === undefined ? 0 : Number(m[4]);
  if (minutes >= 60 || seconds >= 60) return undefined;
  const total = Math.round(Number(m[2]) * 3600 + minutes * 60 + seconds);
  return m[1] ? -total : total;
}

/** "1:30" or "1:30:15"; hours are not wrapped at a day (36:00 is a day and a half). h:mm rounds to the minute. */
export function formatDuration(seconds: number, format: DurationFormat | undefined): string {
  if (!Number.isFinite(seconds)) return '';
  const sign = seconds < 0 ? '-' : '';
  const withSeconds = format === 'h:mm:ss';
  const total = withSeconds ? Math.round(Math.abs(seconds)) : Math.round(Math.abs(seconds) / 60) * 60;
  const h = Math.floor(total / 3600);
  const mm = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const ss = String(total % 60).padStart(2, '0');
  return `${sign}${h}:${mm}${withSeconds ? `:${ss}` : ''}`;
}

/** Excel's format for a duration cell (its value is in days): hours past 24 keep counting. */
export const excelDurationFormat = (format: DurationFormat | undefined) => (format === 'h:mm:ss' ? '[h]:mm:ss' : '[h]:mm');
