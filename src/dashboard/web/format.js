// How numbers, times and durations read on the page: thousands separators, at most two decimals,
// local clock times, and durations a person reads at a glance ("3 min 5 s").

const nf = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const nf1 = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

export const DASH = '—';

export function num(x) {
  return x === null || x === undefined || Number.isNaN(x) ? DASH : nf.format(x);
}

export function int(x) {
  return x === null || x === undefined ? DASH : Math.round(x).toLocaleString('en');
}

export function short(x) {
  return x === null || x === undefined ? DASH : Math.abs(x) < 10_000 ? nf.format(x) : compact.format(x);
}

export function rate(x) {
  return x === null || x === undefined ? DASH : `${x < 10 ? nf1.format(x) : int(x)}/s`;
}

export function bytes(n) {
  if (n === null || n === undefined) return DASH;
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${nf1.format(v)} ${units[i]}`;
}

export function duration(ms) {
  if (ms === null || ms === undefined) return DASH;
  const neg = ms < 0;
  ms = Math.abs(ms);
  let text;
  if (ms < 1000) text = `${Math.round(ms)} ms`;
  else if (ms < 60_000) text = `${nf1.format(ms / 1000)} s`;
  else if (ms < 3_600_000) text = `${Math.floor(ms / 60_000)} min ${Math.floor((ms % 60_000) / 1000)} s`;
  else if (ms < 86_400_000) text = `${Math.floor(ms / 3_600_000)} h ${Math.floor((ms % 3_600_000) / 60_000)} min`;
  else text = `${Math.floor(ms / 86_400_000)} d ${Math.floor((ms % 86_400_000) / 3_600_000)} h`;
  return neg ? `-${text}` : text;
}

export function ago(at, now = Date.now()) {
  if (at === null || at === undefined) return DASH;
  const d = now - at;
  if (d < 1500) return 'just now';
  if (d < 60_000) return `${Math.round(d / 1000)} s ago`;
  // Past a minute the seconds are noise: "3 min ago", "2 h 5 min ago".
  return `${duration(d).replace(/ \d+ s$/, '')} ago`;
}

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export function time(ms) {
  return ms === null || ms === undefined ? DASH : timeFmt.format(ms);
}

export function dateTime(ms) {
  return ms === null || ms === undefined ? DASH : dateTimeFmt.format(ms);
}

/** A bucket width as people say it: 10 s, 1 min, 3 h. */
export function bucket(ms) {
  if (ms < 60_000) return `${ms / 1000} s`;
  if (ms < 3_600_000) return `${ms / 60_000} min`;
  if (ms < 86_400_000) return `${ms / 3_600_000} h`;
  return `${ms / 86_400_000} d`;
}

/** epoch ms -> the value of an <input type="datetime-local"> (local time, to the second). */
export function toLocalInput(ms) {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 19);
}
