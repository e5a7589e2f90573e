// JSON as Go's encoding/json writes it, which is what `docker ... --format
// json` and `docker inspect` print: `<`, `>`, `&`, U+2028 and U+2029 are
// escaped (json.Marshal's HTML-safe default), indentation is 4 spaces
// (docker/cli cli/command/inspect/inspector.go NewIndentedInspector).

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;

function escapeHtml(json: string): string {
  // These characters can only occur inside JSON strings, so replacing them
  // everywhere keeps the document valid.
  return json.replace(HTML_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** json.Marshal: compact. */
export function goJson(value: unknown): string {
  return escapeHtml(JSON.stringify(value) ?? 'null');
}

/** json.MarshalIndent(v, "", "    "). */
export function goJsonIndent(value: unknown): string {
  return escapeHtml(JSON.stringify(value, null, 4) ?? 'null');
}

/**
 * What `docker inspect` prints for these objects with no `--format`: an
 * indented JSON array, `[]` when nothing was found; with `--format json`,
 * the same array compact. Ends with a newline.
 */
export function inspectJson(values: readonly unknown[], compact: boolean): string {
  if (values.length === 0) return '[]\n';
  return `${compact ? goJson(values) : goJsonIndent(values)}\n`;
}
