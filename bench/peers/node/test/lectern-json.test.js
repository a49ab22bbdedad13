'use strict';
// The formats the peer must share with Lectern's Jackson, checked against what Java writes (the expected strings are
// Java's Double.toString, Instant.toString / ISO_INSTANT and Jackson's string escapes).
const test = require('node:test');
const assert = require('node:assert/strict');
const { str, instant, double } = require('../lectern-json');
const { matches, progressRequest, Problem } = require('../app');

test('doubles are written as Java writes them', () => {
  const cases = [
    [0, '0.0'], [100, '100.0'], [42.5, '42.5'], [1, '1.0'], [33.333333333333336, '33.333333333333336'],
    [0.001, '0.001'], [0.0001, '1.0E-4'], [0.00012345, '1.2345E-4'], [1e-7, '1.0E-7'], [9999999, '9999999.0'],
    [1e7, '1.0E7'], [12345678.9, '1.23456789E7'], [0.1 + 0.2, '0.30000000000000004'], [-2.5, '-2.5'],
  ];
  for (const [value, java] of cases) {
    assert.equal(double(value), java, `double(${value})`);
  }
});

test('instants are written as ISO_INSTANT, the fraction in groups of three digits', () => {
  assert.equal(instant('2026-12-07 17:50:45.768784+00'), '"2026-12-07T17:50:45.768784Z"');
  assert.equal(instant('2026-12-07 17:50:45.76878+00'), '"2026-12-07T17:50:45.768780Z"');
  assert.equal(instant('2026-12-07 17:50:45.768+00'), '"2026-12-07T17:50:45.768Z"');
  assert.equal(instant('2026-12-07 17:50:45.12+00'), '"2026-12-07T17:50:45.120Z"');
  assert.equal(instant('2026-12-07 17:50:45.000001+00'), '"2026-12-07T17:50:45.000001Z"');
  assert.equal(instant('2026-12-07 17:50:45+00'), '"2026-12-07T17:50:45Z"');
  assert.equal(instant('0001-01-01 00:00:00+00'), '"0001-01-01T00:00:00Z"');
  assert.equal(instant(null), 'null');
  assert.throws(() => instant('2026-12-07 18:50:45+01'), /TimeZone=UTC/);
});

test('strings are escaped as Jackson escapes them', () => {
  assert.equal(str('plain "quoted" \\ back'), '"plain \\"quoted\\" \\\\ back"');
  assert.equal(str('tab\tline\nret\rbell\u0007esc\u001b\u007f'), '"tab\\tline\\nret\\rbell\\u0007esc\\u001B\u007f"');
  assert.equal(str('\u001f and a literal \\u001f'), '"\\u001F and a literal \\\\u001f"');
  assert.equal(str('b\bf\f'), '"b\\bf\\f"');
  assert.equal(str('ünïcødé / € \u2028\uffff'), '"ünïcødé / € \u2028\uffff"');
  assert.equal(str('emoji 😀 and 𝄞'), '"emoji \\uD83D\\uDE00 and \\uD834\\uDD1E"');
  assert.equal(str(null), 'null');
});

test('If-None-Match compares weakly, in lists, and with *', () => {
  const etag = '"3-0123456789abcdef"';
  assert.equal(matches(undefined, etag), false);
  assert.equal(matches(etag, etag), true);
  assert.equal(matches('W/' + etag, etag), true);
  assert.equal(matches('"1-x", ' + etag, etag), true);
  assert.equal(matches('*', etag), true);
  assert.equal(matches('"2-0123456789abcdef"', etag), false);
});

test('progress requests are checked as Lectern checks them', () => {
  const ok = progressRequest('{"percent":42.5,"position":{"sectionNumber":2,"offset":0},"timeSpentSeconds":30,' +
    '"eventId":"00000000-0000-4000-8000-000000000001","reset":false}');
  assert.deepEqual(ok, { percent: 42.5, position: { sectionNumber: 2, offset: 0 }, timeSpentSeconds: 30,
    eventId: '00000000-0000-4000-8000-000000000001', reset: false });
  const problem = (body) => {
    try {
      progressRequest(body);
    } catch (e) {
      assert.ok(e instanceof Problem);
      return [e.status, e.slug, e.detail];
    }
    assert.fail('accepted ' + body);
  };
  assert.deepEqual(problem('{"percent":101}'), [400, 'validation', 'percent: must be less than or equal to 100']);
  assert.deepEqual(problem('{}'), [400, 'validation', 'percent: must not be null']);
  assert.deepEqual(problem('{"percent":5,"bogus":1}'), [400, 'validation', "unknown property 'bogus'"]);
  assert.deepEqual(problem('{"percent":5,"position":{"sectionNumber":0,"offset":-1}}'), [400, 'validation',
    'position.offset: must be greater than or equal to 0; position.sectionNumber: must be greater than or equal to 1']);
  assert.deepEqual(problem('notjson'), [400, 'malformed-json', 'request body is not valid JSON']);
  assert.deepEqual(problem('{"percent":"x"}'), [400, 'malformed-json', 'percent: expected a number']);
  assert.deepEqual(problem('{"percent":5,"eventId":"zz"}'), [400, 'validation', 'eventId: expected a UUID']);
  assert.deepEqual(problem('{"percent":5,"timeSpentSeconds":1.5}'), [400, 'malformed-json', 'timeSpentSeconds: expected an integer']);
});
