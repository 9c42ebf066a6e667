/**
 * Docker's human durations and timestamps.
 *
 *  - humanDuration: go-units HumanDuration ("Less than a second", "1 second", "About a minute",
 *    "2 hours", "3 days", "5 weeks", "4 months", "2 years").
 *  - containerStatus: the daemon's State.String() that `docker ps` shows under STATUS
 *    ("Up 3 seconds", "Up 2 hours (healthy)", "Exited (0) 5 seconds ago", "Created").
 *  - runningFor: the CREATED column ("3 seconds ago", "About an hour ago").
 *  - rfc3339Nano / goTimeString / createdAt: how Go prints times in inspect JSON, in templates
 *    and in the CreatedAt column.
 *
 * All instants are microseconds since the Unix epoch (UTC); durations are microseconds. No Date.
 */

const US_PER_SECOND = 1_000_000;

/** go-units HumanDuration of a duration in microseconds. */
export function humanDuration(us: number): string {
  const seconds = Math.trunc(us / US_PER_SECOND);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(us / (60 * US_PER_SECOND));
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(us / (3600 * US_PER_SECOND) + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(us / (3600 * US_PER_SECOND)) / 24 / 365)} years`;
}

/**
 * The CREATED column of `docker ps`: the API's Created is whole seconds, so the creation instant
 * is truncated to the second before the difference is taken.
 */
export function runningFor(createdUs: number, nowUs: number): string {
  const created = Math.floor(createdUs / US_PER_SECOND) * US_PER_SECOND;
  return humanDuration(nowUs - created) + ' ago';
}

export interface StatusInput {
  running: boolean;
  paused?: boolean;
  restarting?: boolean;
  removing?: boolean;
  dead?: boolean;
  exitCode?: number;
  /** undefined when the container never started */
  startedAtUs?: number;
  /** undefined when it has not finished */
  finishedAtUs?: number;
  /** 'starting' | 'healthy' | 'unhealthy' when the container has a health check */
  health?: string;
}

/** The daemon's container State.String(): what `docker ps` prints under STATUS. */
export function containerStatus(s: StatusInput, nowUs: number): string {
  const since = (t: number | undefined): string => humanDuration(nowUs - (t ?? 0));
  if (s.running) {
    if (s.paused) return `Up ${since(s.startedAtUs)} (Paused)`;
    if (s.restarting) return `Restarting (${s.exitCode ?? 0}) ${since(s.finishedAtUs)} ago`;
    if (s.health) return `Up ${since(s.startedAtUs)} (${s.health === 'starting' ? 'health: starting' : s.health})`;
    return `Up ${since(s.startedAtUs)}`;
  }
  if (s.removing) return 'Removal In Progress';
  if (s.dead) return 'Dead';
  if (s.startedAtUs === undefined) return 'Created';
  if (s.finishedAtUs === undefined) return '';
  return `Exited (${s.exitCode ?? 0}) ${since(s.finishedAtUs)} ago`;
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, UTC)

interface Civil {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function civilFromDays(days: number): { y: number; mo: number; d: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const mo = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (mo <= 2 ? 1 : 0), mo, d };
}

function daysFromCivil(y: number, mo: number, d: number): number {
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function split(us: number): { c: Civil; frac: number } {
  const secs = Math.floor(us / US_PER_SECOND);
  const frac = us - secs * US_PER_SECOND;
  const days = Math.floor(secs / 86400);
  const rem = secs - days * 86400;
  const { y, mo, d } = civilFromDays(days);
  return { c: { y, mo, d, h: Math.floor(rem / 3600), mi: Math.floor((rem % 3600) / 60), s: rem % 60 }, frac };
}

const two = (n: number): string => String(n).padStart(2, '0');
const four = (n: number): string => (n < 0 ? '-' + String(-n).padStart(4, '0') : String(n).padStart(4, '0'));

/** Nanosecond fraction with trailing zeros removed ("" for none), Go's .999999999 layout. */
function fraction(nanos: number): string {
  if (nanos === 0) return '';
  return '.' + String(nanos).padStart(9, '0').replace(/0+$/, '');
}

/** The zero time.Time as RFC 3339 ("FinishedAt" of a container that never stopped). */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** time.RFC3339Nano in UTC: "2026-01-05T09:00:00.123456Z". */
export function rfc3339Nano(us: number, extraNanos = 0): string {
  const { c, frac } = split(us);
  return `${four(c.y)}-${two(c.mo)}-${two(c.d)}T${two(c.h)}:${two(c.mi)}:${two(c.s)}${fraction(frac * 1000 + extraNanos)}Z`;
}

/** time.Time.String() in UTC: "2026-01-05 09:00:00.123456 +0000 UTC". */
export function goTimeString(us: number, extraNanos = 0): string {
  const { c, frac } = split(us);
  return `${four(c.y)}-${two(c.mo)}-${two(c.d)} ${two(c.h)}:${two(c.mi)}:${two(c.s)}${fraction(frac * 1000 + extraNanos)} +0000 UTC`;
}

/** time.Unix(sec, 0).String() in UTC: the CreatedAt column of `docker ps`. */
export function createdAt(unixSeconds: number): string {
  return goTimeString(Math.floor(unixSeconds) * US_PER_SECOND);
}

/**
 * Re-render an RFC 3339 timestamp (as the API sends it) the way Go prints the parsed time.Time:
 * "2026-01-05T09:00:00.5Z" -> "2026-01-05 09:00:00.5 +0000 UTC"; a numeric offset prints twice
 * ("+0100 +0100"), as Go does for a zone without a name. Returns the input when it does not parse.
 */
export function rfc3339ToGoString(s: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) return s;
  const nanos = m[7] ? Number((m[7].slice(1) + '000000000').slice(0, 9)) : 0;
  const base = `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}${fraction(nanos)}`;
  if (m[8] === 'Z' || m[8] === 'z') return `${base} +0000 UTC`;
  const off = m[8].replace(':', '');
  return `${base} ${off} ${off}`;
}

/** Microseconds since the epoch of an RFC 3339 timestamp (sub-microsecond digits dropped). */
export function parseRFC3339(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (!m) return undefined;
  const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  let secs = days * 86400 + Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]);
  if (m[9]) secs -= (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 3600 + Number(m[11]) * 60);
  const micros = m[7] ? Number((m[7].slice(1) + '000000').slice(0, 6)) : 0;
  return secs * US_PER_SECOND + micros;
}
