/* tests/realclient/tb-hook.js: test-only Thunderbird enterprise AutoConfig hook.
 *
 * tb-verify.sh installs this file (behind one ignored first line) as
 * /usr/lib/thunderbird/mailguide-tbverify.cfg for the length of one run and
 * removes it afterwards.  It is inert unless the profile Thunderbird starts
 * with holds mailguide-job.json (written by tb-verify.sh), so a Thunderbird
 * started by anyone else meanwhile is not affected.
 *
 * After "final-ui-startup" it reads the job, verifies logins, writes
 * mailguide-results.txt into the profile (one line per entry, then "#done")
 * and quits Thunderbird.
 *
 * Job (JSON): {
 *   mode: "autoconfig" | "userjs",
 *   xml: path of the config-v1.1.xml (autoconfig mode),
 *   email, password, realname,
 *   incoming: index of the <incomingServer> to test in this profile or -1,
 *   outgoing: index of the <outgoingServer> to test in this profile or -1,
 *   reportCounts: true in exactly one profile of a run,
 *   entryTimeoutMs: per-login time limit
 * }
 */
/* global Components, ChromeUtils, Services */
/* eslint-disable no-var */
(function mailguideTbVerifyHook() {
  "use strict";
  const JOB_NAME = "mailguide-job.json";
  const RESULTS_NAME = "mailguide-results.txt";
  const LOG_NAME = "mailguide-hook.log";

  const Ci = Components.interfaces;
  const Cr = Components.results;
  const Cu = Components.utils;
  const Svc =
    typeof Services != "undefined"
      ? Services
      : ChromeUtils.importESModule("resource://gre/modules/Services.sys.mjs")
          .Services;

  function profPath(name) {
    const f = Svc.dirsvc.get("ProfD", Ci.nsIFile);
    f.append(name);
    return f;
  }

  function readText(file) {
    const stream = Components.classes[
      "@mozilla.org/network/file-input-stream;1"
    ].createInstance(Ci.nsIFileInputStream);
    stream.init(file, -1, 0, 0);
    const cstream = Components.classes[
      "@mozilla.org/intl/converter-input-stream;1"
    ].createInstance(Ci.nsIConverterInputStream);
    cstream.init(stream, "UTF-8", 0, 0);
    let out = "";
    const chunk = {};
    while (cstream.readString(0xffff, chunk) != 0) {
      out += chunk.value;
    }
    cstream.close();
    return out;
  }

  function appendText(file, text) {
    const stream = Components.classes[
      "@mozilla.org/network/file-output-stream;1"
    ].createInstance(Ci.nsIFileOutputStream);
    // PR_WRONLY | PR_CREATE_FILE | PR_APPEND
    stream.init(file, 0x02 | 0x08 | 0x10, 0o644, 0);
    const conv = Components.classes[
      "@mozilla.org/intl/converter-output-stream;1"
    ].createInstance(Ci.nsIConverterOutputStream);
    conv.init(stream, "UTF-8");
    conv.writeString(text);
    conv.close();
  }

  // Set in observe(): the hook stays inert unless the profile has a job.
  let jobFile, resultsFile, logFile;
  function log(msg) {
    try {
      appendText(logFile, new Date().toISOString() + " " + msg + "\n");
    } catch (e) {
      dump("mailguide-hook: " + msg + "\n");
    }
  }
  function result(line) {
    log("RESULT " + line);
    appendText(resultsFile, line.replace(/[\r\n]+/g, " ") + "\n");
  }

  const SOCKET_NAMES = { 0: "plain", 1: "trySTARTTLS", 2: "STARTTLS", 3: "SSL" };
  // The values config-v1.1.xml allows, as readFromXML translates them.
  const SOCKET_VALUES = { plain: 0, SSL: 3, STARTTLS: 2 };
  function sockName(v) {
    return v in SOCKET_NAMES ? SOCKET_NAMES[v] : "socketType=" + v;
  }
  function label(kind, type, host, port, sock) {
    return `${kind} ${type} ${host}:${port} ${sockName(sock)}`;
  }
  function errText(e) {
    if (e && e.message) {
      return e.message;
    }
    return String(e);
  }
  function statusText(status) {
    let text = "0x" + (status >>> 0).toString(16);
    try {
      const nss = Components.classes[
        "@mozilla.org/nss_errors_service;1"
      ].getService(Ci.nsINSSErrorsService);
      const cls = nss.getErrorClass(status);
      const msg = nss.getErrorMessage(status);
      text +=
        (cls == Ci.nsINSSErrorsService.ERROR_CLASS_BAD_CERT
          ? " certificate error: "
          : " security error: ") + msg;
      return text;
    } catch (e) {
      // not an NSS error
    }
    for (const name in Cr) {
      if (Cr[name] === status) {
        return text + " " + name;
      }
    }
    return text;
  }

  function withTimeout(promise, ms, what) {
    let timer;
    const t = new Promise(resolve => {
      timer = Components.classes["@mozilla.org/timer;1"].createInstance(
        Ci.nsITimer
      );
      timer.initWithCallback(
        () => resolve({ ok: false, reason: `timed out after ${ms} ms (${what})` }),
        ms,
        Ci.nsITimer.TYPE_ONE_SHOT
      );
    });
    return Promise.race([promise, t]).finally(() => timer.cancel());
  }

  // ---------------------------------------------------------------- logins
  function verifyIncoming(server, password, ms) {
    if (password) {
      server.password = password;
    }
    const p = new Promise(resolve => {
      const listener = {
        QueryInterface: ChromeUtils.generateQI(["nsIUrlListener"]),
        OnStartRunningUrl() {},
        OnStopRunningUrl(url, status) {
          if (Components.isSuccessCode(status)) {
            resolve({ ok: true });
            return;
          }
          let extra = "";
          try {
            const mu = url.QueryInterface(Ci.nsIMsgMailNewsUrl);
            if (mu.errorCode) {
              extra += " " + mu.errorCode;
            }
            if (mu.errorMessage) {
              extra += ": " + mu.errorMessage;
            }
          } catch (e) {
            // not a mailnews URL
          }
          resolve({ ok: false, reason: "login failed, " + statusText(status) + extra });
        },
      };
      try {
        const uri = server.verifyLogon(listener, null);
        if (uri instanceof Ci.nsIMsgMailNewsUrl) {
          uri.msgWindow = null; // never prompt
        }
      } catch (e) {
        resolve({ ok: false, reason: "verifyLogon threw: " + errText(e) });
      }
    });
    return withTimeout(p, ms, "incoming verifyLogon");
  }

  async function verifyOutgoing(smtpServer, password, ms) {
    const { SmtpClient } = ChromeUtils.importESModule(
      "resource:///modules/SmtpClient.sys.mjs"
    );
    if (password) {
      smtpServer.password = password;
    }
    let client;
    const p = new Promise(resolve => {
      client = new SmtpClient(smtpServer);
      // A failed AUTH would otherwise ask the user what to do.
      client._authenticator.promptAuthFailed = () => 1;
      client.onidle = () => {
        const method = client._currentAuthMethod;
        const tls = client._secureTransport;
        if (!method) {
          resolve({
            ok: false,
            reason:
              "connected but the server offered no usable AUTH, so nothing was logged in",
          });
        } else if (smtpServer.socketType != Ci.nsMsgSocketType.plain && !tls) {
          resolve({ ok: false, reason: "authenticated without TLS" });
        } else {
          resolve({ ok: true, detail: `AUTH ${method}` });
        }
      };
      client.onerror = (nsError, errorMessage) => {
        resolve({
          ok: false,
          reason:
            "SMTP error " +
            statusText(nsError) +
            (errorMessage ? ": " + errorMessage : ""),
        });
      };
      client.connect();
    });
    const r = await withTimeout(p, ms, "SmtpClient");
    try {
      client.onerror = () => {};
      client.onidle = () => {};
      client.quit();
    } catch (e) {
      // already closed
    }
    return r;
  }

  // ---------------------------------------------------------------- autoconfig
  function domEntries(doc, tag) {
    const out = [];
    const provider = doc.getElementsByTagName("emailProvider")[0];
    if (!provider) {
      return out;
    }
    for (const el of provider.getElementsByTagName(tag)) {
      const text = name => {
        const c = el.getElementsByTagName(name)[0];
        return c ? c.textContent.trim() : "";
      };
      // Thunderbird takes the first <socketType> whose value it knows.
      const sockets = [...el.getElementsByTagName("socketType")].map(c =>
        c.textContent.trim()
      );
      const known = sockets.find(v => v in SOCKET_VALUES);
      out.push({
        type: el.getAttribute("type") || "?",
        hostname: text("hostname") || "?",
        port: text("port") || "?",
        socketType: known || sockets[0] || "?",
        socketValue: known ? SOCKET_VALUES[known] : null,
      });
    }
    return out;
  }

  function domLabel(kind, d) {
    return `${kind} ${d.type} ${d.hostname}:${d.port} ${d.socketType}`;
  }

  // Map each file entry to the entry Thunderbird's parser returned for it
  // (parsers keep the order and drop invalid ones), or -1 when dropped.
  function matchEntries(dom, parsed) {
    const map = [];
    let j = 0;
    for (const d of dom) {
      const p = parsed[j];
      if (
        p &&
        String(p.type).toLowerCase() == d.type.toLowerCase() &&
        String(p.port) == String(parseInt(d.port, 10)) &&
        p.socketType === d.socketValue &&
        (p.hostname || "").toLowerCase() == d.hostname.toLowerCase()
      ) {
        map.push(j++);
      } else {
        map.push(-1);
      }
    }
    return map;
  }

  async function runAutoconfig(job) {
    Cu.importGlobalProperties(["DOMParser"]);
    const { JXON } = ChromeUtils.importESModule("resource:///modules/JXON.sys.mjs");
    const { readFromXML } = ChromeUtils.importESModule(
      "resource:///modules/accountcreation/readFromXML.sys.mjs"
    );
    const { AccountConfig } = ChromeUtils.importESModule(
      "resource:///modules/accountcreation/AccountConfig.sys.mjs"
    );
    const { CreateInBackend } = ChromeUtils.importESModule(
      "resource:///modules/accountcreation/CreateInBackend.sys.mjs"
    );
    const { MailServices } = ChromeUtils.importESModule(
      "resource:///modules/MailServices.sys.mjs"
    );

    const xmlFile = Components.classes["@mozilla.org/file/local;1"].createInstance(
      Ci.nsIFile
    );
    xmlFile.initWithPath(job.xml);
    const text = readText(xmlFile);
    const doc = new DOMParser().parseFromString(text, "text/xml");
    if (doc.documentElement.localName == "parsererror") {
      result("FAIL file: not well-formed XML: " + doc.documentElement.textContent.split("\n")[0]);
      return;
    }
    const domIn = domEntries(doc, "incomingServer");
    const domOut = domEntries(doc, "outgoingServer");

    let config;
    try {
      config = readFromXML(JXON.build(doc), "disk");
    } catch (e) {
      const why = "Thunderbird's readFromXML rejected the file: " + errText(e);
      if (job.reportCounts) {
        result("FAIL file: " + why);
      }
      if (job.incoming >= 0 && domIn[job.incoming]) {
        result("FAIL " + domLabel("incoming", domIn[job.incoming]) + ": " + why);
      }
      if (job.outgoing >= 0 && domOut[job.outgoing]) {
        result("FAIL " + domLabel("outgoing", domOut[job.outgoing]) + ": " + why);
      }
      return;
    }
    const parsedIn = [config.incoming, ...(config.incomingAlternatives || [])];
    const parsedOut = [config.outgoing, ...(config.outgoingAlternatives || [])];
    log(`file entries: incoming ${domIn.length} outgoing ${domOut.length}; ` +
        `readFromXML: incoming ${parsedIn.length} outgoing ${parsedOut.length}`);
    if (job.reportCounts) {
      for (const [kind, d, p] of [
        ["incoming", domIn, parsedIn],
        ["outgoing", domOut, parsedOut],
      ]) {
        if (d.length != p.length) {
          result(
            `FAIL count ${kind}: the file has ${d.length} entries, Thunderbird's readFromXML returned ${p.length} (it silently drops invalid ones)`
          );
        }
      }
    }
    const mapIn = matchEntries(domIn, parsedIn);
    const mapOut = matchEntries(domOut, parsedOut);

    let inIdx = -1;
    let outIdx = -1;
    let testIn = false;
    let testOut = false;
    if (job.incoming >= 0 && job.incoming < domIn.length) {
      if (mapIn[job.incoming] < 0) {
        result(
          "FAIL " + domLabel("incoming", domIn[job.incoming]) +
            ": dropped by Thunderbird's readFromXML (a value is not in its allowed list)"
        );
      } else {
        inIdx = mapIn[job.incoming];
        testIn = true;
      }
    }
    if (job.outgoing >= 0 && job.outgoing < domOut.length) {
      if (mapOut[job.outgoing] < 0) {
        result(
          "FAIL " + domLabel("outgoing", domOut[job.outgoing]) +
            ": dropped by Thunderbird's readFromXML (a value is not in its allowed list)"
        );
      } else {
        outIdx = mapOut[job.outgoing];
        testOut = true;
      }
    }
    if (!testIn && !testOut) {
      return;
    }
    // An account needs both; the half not under test is only a placeholder.
    config.incoming = parsedIn[inIdx >= 0 ? inIdx : 0];
    config.incomingAlternatives = [];
    config.outgoing = parsedOut[outIdx >= 0 ? outIdx : 0];
    config.outgoingAlternatives = [];
    AccountConfig.replaceVariables(
      config,
      job.realname || "Mailguide Test",
      job.email,
      job.password
    );

    const inLabel = label(
      "incoming", config.incoming.type, config.incoming.hostname,
      config.incoming.port, config.incoming.socketType
    );
    const outLabel = label(
      "outgoing", config.outgoing.type, config.outgoing.hostname,
      config.outgoing.port, config.outgoing.socketType
    );
    let account;
    try {
      account = await CreateInBackend.createAccountInBackend(config);
    } catch (e) {
      const why = "createAccountInBackend failed: " + errText(e);
      if (testIn) {
        result(`FAIL ${inLabel}: ${why}`);
      }
      if (testOut) {
        result(`FAIL ${outLabel}: ${why}`);
      }
      return;
    }

    // Thunderbird's own "check mail at startup" would log in to the new
    // account in the background while we verify and quit; keep it quiet.
    try {
      account.incomingServer.setBoolValue("login_at_startup", false);
      account.incomingServer.doBiff = false;
    } catch (e) {
      log("could not disable startup login: " + errText(e));
    }

    if (testIn) {
      const server = account.incomingServer;
      const l = label("incoming", server.type, server.hostname, server.port, server.socketType);
      if (l != inLabel) {
        result(`FAIL ${inLabel}: Thunderbird created ${l} instead`);
      } else {
        const r = await verifyIncoming(server, job.password, job.entryTimeoutMs);
        result(r.ok ? `ok ${l}` : `FAIL ${l}: ${r.reason}`);
      }
    }
    if (testOut) {
      const identity = account.defaultIdentity;
      const smtp = MailServices.outgoingServer.getServerByIdentity(identity);
      if (!smtp) {
        result(`FAIL ${outLabel}: the new identity has no outgoing server`);
      } else {
        const s = smtp.QueryInterface(Ci.nsISmtpServer);
        const l = label("outgoing", smtp.type, s.hostname, s.port, smtp.socketType);
        if (l != outLabel) {
          result(`FAIL ${outLabel}: Thunderbird uses ${l} instead (reused an existing server?)`);
        } else {
          const r = await verifyOutgoing(smtp.wrappedJSObject || s, job.password, job.entryTimeoutMs);
          result(r.ok ? `ok ${l}` : `FAIL ${l}: ${r.reason}`);
          if (r.ok) {
            log(`outgoing ${l}: ${r.detail}`);
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- user.js
  async function runUserjs(job) {
    const { MailServices } = ChromeUtils.importESModule(
      "resource:///modules/MailServices.sys.mjs"
    );
    const userjs = readText(profPath("user.js"));
    const keys = re => {
      const found = [];
      for (const m of userjs.matchAll(re)) {
        if (m[1] != "default" && !found.includes(m[1])) {
          found.push(m[1]);
        }
      }
      return found;
    };
    const serverKeys = keys(/user_pref\(\s*["']mail\.server\.([^."']+)\.type["']/g);
    const smtpKeys = keys(/user_pref\(\s*["']mail\.smtpserver\.([^."']+)\.hostname["']/g);
    log(`user.js defines incoming ${serverKeys.join(",") || "-"} outgoing ${smtpKeys.join(",") || "-"}`);
    log("mail.accountmanager.accounts=" +
        Svc.prefs.getCharPref("mail.accountmanager.accounts", "") +
        " mail.smtpservers=" + Svc.prefs.getCharPref("mail.smtpservers", ""));
    if (!serverKeys.length) {
      result("FAIL user.js: defines no incoming server (mail.server.KEY.type)");
    }
    if (!smtpKeys.length) {
      result("FAIL user.js: defines no outgoing server (mail.smtpserver.KEY.hostname)");
    }

    const accounts = MailServices.accounts.accounts;
    const smtpServers = MailServices.outgoingServer.servers;
    // Give every server the password at once, before Thunderbird's own
    // startup mail check could ask for it.
    for (const a of accounts) {
      if (a.incomingServer && a.incomingServer.type != "none") {
        a.incomingServer.password = job.password;
      }
    }
    for (const o of smtpServers) {
      try {
        o.password = job.password;
      } catch (e) {
        // not a password server
      }
    }
    log("loaded accounts: " + accounts.map(a => `${a.key}=${a.incomingServer ? a.incomingServer.key + "/" + a.incomingServer.type : "-"}`).join(" ") +
        "; outgoing servers: " + smtpServers.map(s => s.key).join(" "));
    const prefLabel = (kind, key, typePref) => {
      const b = Svc.prefs.getBranch(`mail.${kind == "incoming" ? "server" : "smtpserver"}.${key}.`);
      const s = (n, d) => {
        try {
          return b.getPrefType(n) == b.PREF_INT ? String(b.getIntPref(n)) : b.getCharPref(n);
        } catch (e) {
          return d;
        }
      };
      return label(
        kind,
        typePref ? s("type", "?") : "smtp",
        s("hostname", "?"),
        s("port", "?"),
        parseInt(s(kind == "incoming" ? "socketType" : "try_ssl", "0"), 10)
      );
    };

    for (const key of serverKeys) {
      const account = accounts.find(a => a.incomingServer && a.incomingServer.key == key);
      if (!account) {
        result(
          `FAIL ${prefLabel("incoming", key, true)}: server ${key} is in no account Thunderbird loaded ` +
            `(mail.account.X.server must name it, mail.accountmanager.accounts or .appendaccounts must list X, ` +
            `and no loaded account may have a server with the same type, host, port and user)`
        );
        continue;
      }
      const server = account.incomingServer;
      const l = label("incoming", server.type, server.hostname, server.port, server.socketType);
      const id = account.defaultIdentity;
      let problem = "";
      if (!id) {
        problem = `account ${account.key} has no identity (mail.account.${account.key}.identities)`;
      } else if (id.smtpServerKey && !smtpServers.some(s => s.key == id.smtpServerKey)) {
        problem = `identity ${id.key} names outgoing server ${id.smtpServerKey}, which Thunderbird did not load`;
      }
      const r = await verifyIncoming(server, job.password, job.entryTimeoutMs);
      if (!r.ok) {
        result(`FAIL ${l}: ${r.reason}` + (problem ? "; also " + problem : ""));
      } else if (problem) {
        result(`FAIL ${l}: logged in, but ${problem}`);
      } else {
        result(`ok ${l}`);
      }
    }
    for (const key of smtpKeys) {
      const smtp = smtpServers.find(s => s.key == key);
      if (!smtp) {
        result(`FAIL ${prefLabel("outgoing", key, false)}: outgoing server ${key} not loaded (mail.smtpservers must list it)`);
        continue;
      }
      const s = smtp.QueryInterface(Ci.nsISmtpServer);
      const l = label("outgoing", smtp.type, s.hostname, s.port, smtp.socketType);
      const r = await verifyOutgoing(smtp.wrappedJSObject || s, job.password, job.entryTimeoutMs);
      result(r.ok ? `ok ${l}` : `FAIL ${l}: ${r.reason}`);
      if (r.ok) {
        log(`outgoing ${l}: ${r.detail}`);
      }
    }
  }

  // ---------------------------------------------------------------- driver
  async function run() {
    const job = JSON.parse(readText(jobFile));
    job.entryTimeoutMs = job.entryTimeoutMs || 30000;
    log("job: " + JSON.stringify(Object.assign({}, job, { password: "***" })));
    if (job.mode == "autoconfig") {
      await runAutoconfig(job);
    } else if (job.mode == "userjs") {
      await runUserjs(job);
    } else {
      result("FAIL job: unknown mode " + job.mode);
    }
  }

  // Quitting before Thunderbird's startup has settled can leave a built-in
  // extension's startup pending, and shutdown then hangs for a minute before
  // it aborts (seen with tbpro-system-add-on).  So the quit waits for one of
  // these notifications (or SETTLE_TIMEOUT_MS).
  const SETTLE_TOPICS = ["sessionstore-windows-restored", "extensions-late-startup"];
  const SETTLE_TIMEOUT_MS = 20000;
  let settled = false;
  let onSettled = null;
  const settledPromise = new Promise(resolve => (onSettled = resolve));

  function quitWhenSettled() {
    let timer = null;
    const quit = why => {
      if (timer) {
        timer.cancel();
      }
      log("quitting (" + why + ")");
      Svc.startup.quit(Ci.nsIAppStartup.eForceQuit);
    };
    if (settled) {
      quit("startup settled");
      return;
    }
    timer = Components.classes["@mozilla.org/timer;1"].createInstance(Ci.nsITimer);
    timer.initWithCallback(() => quit("settle timeout"), SETTLE_TIMEOUT_MS, Ci.nsITimer.TYPE_ONE_SHOT);
    settledPromise.then(() => quit("startup settled"));
  }

  const observer = {
    observe(subject, topic) {
      if (SETTLE_TOPICS.includes(topic)) {
        if (logFile) {
          log(topic);
        }
        settled = true;
        onSettled();
        for (const t of SETTLE_TOPICS) {
          try {
            Svc.obs.removeObserver(observer, t);
          } catch (e) {
            // already removed
          }
        }
        return;
      }
      if (topic != "final-ui-startup") {
        return;
      }
      Svc.obs.removeObserver(observer, "final-ui-startup");
      try {
        jobFile = profPath(JOB_NAME);
        if (!jobFile.exists()) {
          return; // not a tb-verify profile: do nothing at all
        }
        resultsFile = profPath(RESULTS_NAME);
        logFile = profPath(LOG_NAME);
      } catch (e) {
        return;
      }
      log("final-ui-startup");
      run()
        .catch(e => result("FAIL hook: " + errText(e) + (e && e.stack ? " @ " + e.stack.split("\n")[0] : "")))
        .finally(() => {
          try {
            appendText(resultsFile, "#done\n");
          } catch (e) {
            dump("mailguide-hook: cannot write results: " + e + "\n");
          }
          quitWhenSettled();
        });
    },
  };
  Svc.obs.addObserver(observer, "final-ui-startup");
  for (const t of SETTLE_TOPICS) {
    Svc.obs.addObserver(observer, t);
  }
})();
