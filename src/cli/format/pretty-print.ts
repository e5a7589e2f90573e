// docker/cli formatter.PrettyPrint: the first letter upper-cased and the
// rest lower-cased ("ready" -> "Ready", "Needs" stays), and Go's
// time.Time.String() through it, as `node inspect --pretty` shows times
// ("2020-06-20 05:57:17.57684293 +0000 utc").

/** capitalizeFirst: "" stays, one character is lower-cased, otherwise Upper + lower. */
export function prettyPrint(text: string): string {
  if (text.length === 0) return text;
  if (text.length === 1) return text.toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1).toLowerCase();
}

/**
 * Go's time.Time.String() of an RFC 3339 timestamp: "2006-01-02
 * 15:04:05.999999999 -0700 MST", fraction without trailing zeros. Docker's
 * objects are UTC, so the zone reads "+0000 UTC"; a numeric offset is kept
 * as Go prints a zone without a name ("+0200 +0200"). Unparseable text is
 * returned as it is.
 */
export function goTimeString(ts: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(ts);
  if (m === null) return ts;
  const [, date, time, frac = '', zone = 'Z'] = m;
  const fraction = frac.slice(0, 9).replace(/0+$/, '');
  const clock = fraction === '' ? time : `${time}.${fraction}`;
  const offset = zone === 'Z' ? '+0000 UTC' : `${zone.replace(':', '')} ${zone.replace(':', '')}`;
  return `${date} ${clock} ${offset}`;
}
