// userjs_check.js FILE [--expect-string TEXT]...
//
// The checks of check_userjs.sh after `node --check`: a Thunderbird user.js
// must be something the application's preference parser reads *and* mean the
// same when read as JavaScript, and must add accounts without touching the
// user's existing ones.
//
//  1. A strict reader of the preference-file grammar (libpref): only
//     `user_pref("name", value);` statements, value a string, true/false or a
//     32-bit integer; strings in '…' or "…" with the escapes \\ \" \' \n \r
//     \xHH \uHHHH; comments //, /* */ and #.
//  2. The file evaluated as JavaScript in an empty context whose only global
//     is a stub user_pref(name, value) must give the same calls.
//  3. Preference checks:
//     - no name set twice;
//     - under mail.account. / mail.server. / mail.identity. / mail.smtpserver.
//       the key id (the part after the prefix) is specific: not the generic
//       accountN / serverN / idN / smtpN Thunderbird numbers its own keys with,
//       nor "default" (which would change every server), so the profile can
//       never overwrite an existing account;
//     - mail.server.*.socketType and mail.smtpserver.*.try_ssl (and
//       .socketType) are integers in {0 plain, 2 STARTTLS, 3 SSL/TLS};
//     - *.port integers in 1..65535; *.authMethod integers in 1..10;
//       mail.server.*.type imap or pop3; hostnames non-empty;
//     - references resolve: mail.account.A.server, .identities,
//       mail.identity.I.smtpServer, mail.smtpservers, mail.accountmanager.accounts.
// Problems print as `FILE: problem`; exit 0 valid, 1 invalid.
"use strict";
const fs = require("fs");
const vm = require("vm");

const args = process.argv.slice(2);
const file = args[0];
const expectStrings = [];
for (let i = 1; i < args.length; i++) {
  if (args[i] === "--expect-string" && i + 1 < args.length) expectStrings.push(args[++i]);
  else {
    console.error(`usage: userjs_check.js FILE [--expect-string TEXT]...`);
    process.exit(2);
  }
}
const problems = [];
const bad = (msg) => problems.push(`${file}: ${msg}`);
const src = fs.readFileSync(file, "utf8");
if (src.startsWith("\uFEFF")) bad("starts with a byte order mark; write user.js as plain UTF-8");
if (/\uFFFD/.test(src)) bad("not valid UTF-8");

// ---- 1. strict preference-file grammar ------------------------------------
function parsePrefs(s) {
  const out = [];
  let i = 0;
  let line = 1;
  const err = (msg) => {
    throw new Error(`line ${line}: ${msg}`);
  };
  const peek = () => s[i];
  function skipSpace() {
    for (;;) {
      const c = s[i];
      if (c === "\n") { line++; i++; }
      else if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v" || c === "\uFEFF") i++;
      else if (c === "#" || (c === "/" && s[i + 1] === "/")) {
        while (i < s.length && s[i] !== "\n") i++;
      } else if (c === "/" && s[i + 1] === "*") {
        const end = s.indexOf("*/", i + 2);
        if (end < 0) err("unterminated /* comment");
        for (let k = i; k < end; k++) if (s[k] === "\n") line++;
        i = end + 2;
      } else return;
    }
  }
  function expect(ch) {
    skipSpace();
    if (s[i] !== ch) err(`expected '${ch}', found ${s[i] === undefined ? "end of file" : JSON.stringify(s[i])}`);
    i++;
  }
  function hex(n) {
    const h = s.substr(i, n);
    if (!new RegExp(`^[0-9A-Fa-f]{${n}}$`).test(h)) err(`bad \\${n === 2 ? "x" : "u"} escape`);
    i += n;
    return parseInt(h, 16);
  }
  function str() {
    skipSpace();
    const q = s[i];
    if (q !== '"' && q !== "'") err(`expected a string, found ${JSON.stringify(s[i] || "end of file")}`);
    i++;
    let v = "";
    for (;;) {
      if (i >= s.length) err("unterminated string");
      const c = s[i++];
      if (c === q) return v;
      if (c === "\n") err("line break inside a string");
      if (c !== "\\") { v += c; continue; }
      const e = s[i++];
      if (e === "\\" || e === '"' || e === "'") v += e;
      else if (e === "n") v += "\n";
      else if (e === "r") v += "\r";
      else if (e === "x") v += String.fromCharCode(hex(2));
      else if (e === "u") v += String.fromCharCode(hex(4));
      else err(`escape \\${e} is not allowed in a preference file`);
    }
  }
  function value() {
    skipSpace();
    const c = s[i];
    if (c === '"' || c === "'") return str();
    const m = /^(true|false|[+-]?[0-9]+)/.exec(s.slice(i, i + 40));
    if (!m) err(`expected a string, true, false or an integer, found ${JSON.stringify(s.slice(i, i + 12))}`);
    i += m[0].length;
    if (/^[A-Za-z0-9_.]/.test(s[i] || "")) err(`bad value ${JSON.stringify(m[0] + s[i])}…`);
    if (m[0] === "true") return true;
    if (m[0] === "false") return false;
    const n = Number(m[0]);
    if (n < -2147483648 || n > 2147483647) err(`integer ${m[0]} does not fit 32 bits`);
    return n;
  }
  for (;;) {
    skipSpace();
    if (i >= s.length) return out;
    const m = /^[A-Za-z_]+/.exec(s.slice(i, i + 20));
    if (!m) err(`expected user_pref, found ${JSON.stringify(s.slice(i, i + 12))}`);
    if (m[0] !== "user_pref") err(`${m[0]}(…) does not belong in user.js; only user_pref(…)`);
    i += m[0].length;
    const at = line;
    expect("(");
    const name = str();
    expect(",");
    const val = value();
    expect(")");
    expect(";");
    out.push({ name, value: val, line: at });
  }
}

let strict = null;
try {
  strict = parsePrefs(src);
} catch (e) {
  bad(`not a valid preference file: ${e.message}`);
}

// ---- 2. the same file as JavaScript ------------------------------------------
const calls = [];
let evalOk = false;
try {
  const sandbox = Object.create(null);
  sandbox.user_pref = function (name, value) {
    if (arguments.length !== 2) throw new Error(`user_pref called with ${arguments.length} arguments`);
    calls.push({ name, value });
  };
  vm.runInNewContext(src, sandbox, { filename: file, timeout: 2000 });
  evalOk = true;
} catch (e) {
  bad(`evaluating with a stub user_pref failed: ${e && e.message}`);
}
if (strict) {
  const a = JSON.stringify(strict.map((p) => [p.name, p.value]));
  const b = JSON.stringify(calls.map((p) => [p.name, p.value]));
  if (a !== b) bad("the preference reader and JavaScript read different values (escaping?)");
}

// ---- 3. the preferences ------------------------------------------------------
// Without a complete reading the reference checks would only add noise.
const prefs = strict || (evalOk ? calls : []);
const seen = new Map();
for (const p of prefs) {
  if (typeof p.name !== "string" || !p.name) { bad(`preference name ${JSON.stringify(p.name)} is not a string`); continue; }
  const t = typeof p.value;
  if (!(t === "string" || t === "boolean" || (t === "number" && Number.isInteger(p.value)))) {
    bad(`${p.name}: value ${JSON.stringify(p.value)} is not a string, boolean or integer`);
  }
  if (seen.has(p.name)) bad(`${p.name} is set twice`);
  seen.set(p.name, p.value);
}

const GROUPS = ["mail.account.", "mail.server.", "mail.identity.", "mail.smtpserver."];
const GENERIC = /^(account|server|id|smtp)[0-9]+$/;
const ids = { "mail.account.": new Set(), "mail.server.": new Set(), "mail.identity.": new Set(), "mail.smtpserver.": new Set() };
const isInt = (v) => typeof v === "number" && Number.isInteger(v);
for (const [name, v] of seen) {
  const g = GROUPS.find((x) => name.startsWith(x));
  if (!g) continue;
  const rest = name.slice(g.length);
  const dot = rest.indexOf(".");
  if (dot <= 0 || dot === rest.length - 1) { bad(`${name}: expected ${g}<id>.<attribute>`); continue; }
  const id = rest.slice(0, dot);
  const attr = rest.slice(dot + 1);
  const first = !ids[g].has(id);  // report a key id once, at its first preference
  ids[g].add(id);
  if (first && GENERIC.test(id)) bad(`${name}: generic key id "${id}" would overwrite an existing account's settings; use a specific id`);
  if (first && id === "default") bad(`${name}: sets the default for every server, not this account`);
  if (first && !/^[A-Za-z0-9_\-]+$/.test(id)) bad(`${name}: key id "${id}" has unusual characters`);
  if ((g === "mail.server." && attr === "socketType") || (g === "mail.smtpserver." && (attr === "try_ssl" || attr === "socketType"))) {
    if (!isInt(v) || ![0, 2, 3].includes(v)) bad(`${name} = ${JSON.stringify(v)}: must be the integer 0 (plain), 2 (STARTTLS) or 3 (SSL/TLS)`);
  }
  if (attr === "port" && (!isInt(v) || v < 1 || v > 65535)) bad(`${name} = ${JSON.stringify(v)}: port must be an integer in 1..65535`);
  if (attr === "authMethod" && (!isInt(v) || v < 1 || v > 10)) bad(`${name} = ${JSON.stringify(v)}: authMethod must be an integer 1..10 (nsMsgAuthMethod)`);
  if (g === "mail.server." && attr === "type" && !["imap", "pop3"].includes(v)) bad(`${name} = ${JSON.stringify(v)}: type must be "imap" or "pop3"`);
  if (attr === "hostname" && (typeof v !== "string" || !/^[A-Za-z0-9]([A-Za-z0-9.\-]*[A-Za-z0-9])?$/.test(v))) bad(`${name} = ${JSON.stringify(v)}: not a host name`);
}
// The global lists may name the user's own (generic) keys, e.g. "account1,acc_x".
function refs(listName, value, group, globalList) {
  if (typeof value !== "string") { bad(`${listName} must be a string`); return; }
  for (const id of value.split(",").map((x) => x.trim()).filter(Boolean)) {
    if (globalList && GENERIC.test(id)) continue;
    if (!ids[group].has(id)) bad(`${listName} refers to ${group}${id}, which is not defined here`);
  }
}
for (const [name, v] of seen) {
  let m;
  if ((m = /^mail\.account\.([^.]+)\.server$/.exec(name))) refs(name, v, "mail.server.");
  else if ((m = /^mail\.account\.([^.]+)\.identities$/.exec(name))) refs(name, v, "mail.identity.");
  else if ((m = /^mail\.identity\.([^.]+)\.smtpServer$/.exec(name))) refs(name, v, "mail.smtpserver.");
  else if (name === "mail.smtpservers") refs(name, v, "mail.smtpserver.", true);
  else if (name === "mail.accountmanager.accounts") refs(name, v, "mail.account.", true);
}
const values = new Set([...seen.values()].filter((v) => typeof v === "string"));
for (const t of expectStrings) if (!values.has(t)) bad(`no preference value equals ${JSON.stringify(t)}`);

for (const p of problems) console.log(p);
process.exit(problems.length ? 1 : 0);
