/**
 * Virtual time as wall-clock text. Virtual time 0 is Monday 5 January 2026, 09:00:00 UTC; the
 * conversion is pure arithmetic (no Date), so every run prints the same dates.
 */
/** The wall-clock instant (ms since the Unix epoch) that virtual time 0 stands for. */
export const EPOCH_MS = 1_767_603_600_000;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface Civil {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  /** 0 = Sunday */
  wd: number;
}

/** Calendar fields of a Unix time in ms (proleptic Gregorian, UTC). */
export function civil(ms: number): Civil {
  const days = Math.floor(ms / 86400000);
  const rem = ms - days * 86400000;
  // days-from-civil, inverted (H. Hinnant's algorithm)
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const mo = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (mo <= 2 ? 1 : 0);
  return { y, mo, d, h: Math.floor(rem / 3600000), mi: Math.floor((rem % 3600000) / 60000), s: Math.floor((rem % 60000) / 1000), wd: (((days % 7) + 11) % 7) };
}

/** Calendar fields of virtual time `now` (µs). */
export function wallClock(now: number): Civil {
  return civil(EPOCH_MS + Math.floor(now / 1000));
}

const two = (n: number) => String(n).padStart(2, '0');

export function dayName(c: Civil): string {
  return DAYS[c.wd];
}

export function monthName(c: Civil): string {
  return MONTHS[c.mo - 1];
}

/** `Mon, 05 Jan 2026 09:00:00 GMT` (HTTP Date header). */
export function httpDate(now: number): string {
  const c = wallClock(now);
  return `${dayName(c)}, ${two(c.d)} ${monthName(c)} ${c.y} ${two(c.h)}:${two(c.mi)}:${two(c.s)} GMT`;
}

/** `05/Jan/2026 09:00:00` (Python http.server access log). */
export function logDate(now: number): string {
  const c = wallClock(now);
  return `${two(c.d)}/${monthName(c)}/${c.y} ${two(c.h)}:${two(c.mi)}:${two(c.s)}`;
}

/** `09:00:00.123456` (tcpdump timestamps). */
export function timeOfDay(now: number): string {
  const c = wallClock(now);
  return `${two(c.h)}:${two(c.mi)}:${two(c.s)}.${String(Math.floor(now) % 1_000_000).padStart(6, '0')}`;
}

/** `Mon Jan  5 09:00:00 UTC 2026` (date). */
export function dateText(now: number): string {
  const c = wallClock(now);
  return `${dayName(c)} ${monthName(c)} ${String(c.d).padStart(2)} ${two(c.h)}:${two(c.mi)}:${two(c.s)} UTC ${c.y}`;
}
