'use strict';
// Writing JSON the way Lectern's Jackson does, so the peer's bodies are byte-identical to Lectern's:
// - strings: JSON.stringify escapes as Jackson does (\" \\ \b \t \n \f \r, other control characters as \u00XX),
//   except that Jackson writes the hex digits in upper case where JSON.stringify writes lower case, and that Jackson's
//   UTF-8 generator (the one that writes HTTP bodies) escapes a character outside the Basic Multilingual Plane (an
//   emoji) as its two UTF-16 surrogates, "\uD83D\uDE00", where JSON.stringify writes the character;
// - instants: Jackson writes java.time.Instant with DateTimeFormatter.ISO_INSTANT (UTC, "Z", the fraction in groups
//   of three digits: none, 3 or 6 at PostgreSQL's microsecond precision); pg hands timestamptz over as PostgreSQL's
//   text (the session runs with TimeZone=UTC), which is reshaped here without a round trip through Date (which would
//   drop the microseconds);
// - doubles: Java's Double.toString (the same shortest round-trip digits as JavaScript, but "100.0" for 100 and
//   "1.0E-4" below 10^-3 and from 10^7 on, where JavaScript writes "100", "0.0001" and "10000000").

// Control characters Jackson escapes as \u00XX (all of them but \b \t \n \f \r, which both write in short form).
// eslint-disable-next-line no-control-regex
const HEX_ESCAPED = /[\u0000-\u0007\u000b\u000e-\u001f]/;
const SURROGATE = /[\ud800-\udfff]/;
const SURROGATES = /[\ud800-\udfff]/g;

/** A JSON string literal, as Jackson writes it into a UTF-8 body; "null" for null or undefined. */
function str(value) {
  if (value === null || value === undefined) {
    return 'null';
  }
  let json = JSON.stringify(value);
  if (HEX_ESCAPED.test(value)) {
    json = upperCaseHexEscapes(json);
  }
  if (SURROGATE.test(value)) {
    // JSON.stringify leaves paired surrogates as they are (and escapes lone ones, which PostgreSQL text cannot hold).
    json = json.replace(SURROGATES, (c) => '\\u' + c.charCodeAt(0).toString(16).toUpperCase());
  }
  return json;
}

// JSON.stringify's \u00xx escapes are the only place it writes a backslash followed by "u" (a backslash of the text
// itself comes out doubled), so scanning escape by escape finds them without mistaking "\\u001f" in the text.
function upperCaseHexEscapes(json) {
  let out = '';
  let i = 0;
  while (i < json.length) {
    const c = json[i];
    if (c === '\\') {
      if (json[i + 1] === 'u') {
        out += json.slice(i, i + 2) + json.slice(i + 2, i + 6).toUpperCase();
        i += 6;
      } else {
        out += json.slice(i, i + 2);
        i += 2;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * A PostgreSQL timestamptz in text form with TimeZone=UTC ("2026-12-07 17:50:45.768784+00", the fraction without
 * trailing zeros or absent) as Jackson writes the Instant: "2026-12-07T17:50:45.768784Z", quoted; "null" for null.
 */
function instant(pgText) {
  return pgText === null || pgText === undefined ? 'null' : '"' + isoInstant(pgText) + '"';
}

/** The ISO_INSTANT form of a PostgreSQL timestamptz text (UTC session), unquoted. */
function isoInstant(pgText) {
  if (!pgText.endsWith('+00')) {
    throw new Error('expected a UTC timestamptz, got ' + pgText + ' (the session must run with TimeZone=UTC)');
  }
  const dot = pgText.indexOf('.');
  const seconds = (dot < 0 ? pgText.slice(0, -3) : pgText.slice(0, dot)).replace(' ', 'T');
  if (dot < 0) {
    return seconds + 'Z';
  }
  const micros = pgText.slice(dot + 1, -3).padEnd(6, '0');
  // ISO_INSTANT prints as few groups of three digits as the nanoseconds need.
  return seconds + '.' + (micros.endsWith('000') ? micros.slice(0, 3) : micros) + 'Z';
}

/** A double as Java's Double.toString writes it (Jackson's default for double). */
function double(x) {
  if (x === 0) {
    return Object.is(x, -0) ? '-0.0' : '0.0';
  }
  if (!Number.isFinite(x)) {
    return Number.isNaN(x) ? '"NaN"' : x > 0 ? '"Infinity"' : '"-Infinity"';
  }
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const plain = String(x);
    return plain.includes('.') ? plain : plain + '.0';
  }
  // toExponential() without an argument gives the shortest digits that round-trip, as String(x) does.
  let [mantissa, exponent] = x.toExponential().split('e');
  if (!mantissa.includes('.')) {
    mantissa += '.0';
  }
  return mantissa + 'E' + (exponent.startsWith('+') ? exponent.slice(1) : exponent);
}

module.exports = { str, instant, isoInstant, double };
