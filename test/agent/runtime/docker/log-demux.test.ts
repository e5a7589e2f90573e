import test from 'ava';
import fc from 'fast-check';
import { DockerLogDecoder, FrameDemuxer, splitTimestamp } from '../../../../src/agent/runtime/docker/log-demux.js';

function frame(stream: 0 | 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

test('timestamps: RFC 3339 nano, cut to milliseconds', (t) => {
  const stamped = splitTimestamp('2024-05-01T12:00:00.123456789Z hello world');
  t.is(stamped?.time.toISOString(), '2024-05-01T12:00:00.123Z');
  t.is(stamped?.text, 'hello world');
  t.is(splitTimestamp('no timestamp here'), undefined);
  t.is(splitTimestamp('2024-05-01T12:00:00Z')?.text, '');
});

test('frames and lines come out the same however the bytes are chunked (property)', (t) => {
  const lines = ['2024-01-01T00:00:00.000000001Z out one\n', '2024-01-01T00:00:01Z err two\n', '2024-01-01T00:00:02Z out three\n'];
  const bytes = Buffer.concat([frame(1, lines[0] ?? ''), frame(2, lines[1] ?? ''), frame(1, lines[2] ?? '')]);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: bytes.length }), { maxLength: 10 }), (cuts) => {
      const decoder = new DockerLogDecoder();
      const points = [...new Set(cuts)].sort((a, b) => a - b);
      const out = [];
      let last = 0;
      for (const point of [...points, bytes.length]) {
        out.push(...decoder.push(bytes.subarray(last, point)));
        last = point;
      }
      out.push(...decoder.flush());
      return JSON.stringify(out.map((e) => [e.stream, e.line])) === JSON.stringify([['stdout', 'out one'], ['stderr', 'err two'], ['stdout', 'out three']]);
    }),
  );
  t.pass();
});

test('a frame split across chunks waits for the rest; stdin frames are dropped', (t) => {
  const demuxer = new FrameDemuxer();
  const bytes = Buffer.concat([frame(0, 'in'), frame(1, 'abc')]);
  t.deepEqual(demuxer.push(bytes.subarray(0, 12)), []);
  t.deepEqual(demuxer.push(bytes.subarray(12)).map((f) => f.payload.toString()), ['abc']);
});
