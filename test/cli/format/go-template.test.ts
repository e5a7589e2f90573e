import test from 'ava';
import { goPrint, parseTemplate, renderTemplate, writeTemplate } from '../../../src/cli/format/go-template.js';
import { goJson, inspectJson } from '../../../src/cli/format/go-json.js';

test('fields, nested fields, json, literal \\t and \\n, trim markers', (t) => {
  const data = { ID: 'abc', Spec: { Labels: { b: '2', a: '1' }, Ports: [80, 443] }, Self: true };
  t.is(renderTemplate(parseTemplate('{{.ID}}\\t{{ .Spec.Labels }}\\n{{json .Spec.Ports}}'), data), 'abc\tmap[a:1 b:2]\n[80,443]');
  t.is(renderTemplate(parseTemplate('{{.ID}}   {{- .Self -}}   !'), data), 'abctrue!');
  t.is(renderTemplate(parseTemplate('{{.Missing}} {{json .Missing}}'), data), '<no value> null');
  t.is(renderTemplate(parseTemplate('{{json .}}'), { b: '<', a: 1 }), '{"b":"\\u003c","a":1}');
});

test('table templates get a header from the field names and go through the tabwriter', (t) => {
  const tpl = parseTemplate('table {{.ID}}\\t{{.Hostname}}');
  t.true(tpl.table);
  t.is(writeTemplate(tpl, [{ ID: 'x1', Hostname: 'node-one' }], { ID: 'ID', Hostname: 'HOSTNAME' }), 'ID        HOSTNAME\nx1        node-one\n');
});

test('what is not understood is refused, saying what is', (t) => {
  for (const bad of ['{{if .ID}}x{{end}}', '{{printf "%s" .ID}}', '{{.ID', '{{ID}}']) {
    t.throws(() => parseTemplate(bad), { message: /^template parsing error: / }, bad);
  }
});

test('goPrint and Go JSON', (t) => {
  t.is(goPrint(null), '<nil>');
  t.is(goPrint(['a', 1, false]), '[a 1 false]');
  t.is(goJson({ s: 'a&b\u2028' }), '{"s":"a\\u0026b\\u2028"}');
  t.is(inspectJson([], false), '[]\n');
  t.is(inspectJson([{ A: { B: 1 }, C: [] }], false), '[\n    {\n        "A": {\n            "B": 1\n        },\n        "C": []\n    }\n]\n');
  t.is(inspectJson([{ A: 1 }, { A: 2 }], true), '[{"A":1},{"A":2}]\n');
});
