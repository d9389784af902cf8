/* personalize.js: the download box's "files with your address", made in the
 * reader's browser; nothing is sent anywhere.
 *
 * What a form fills in is its product's stencils in the page's locale: a
 * script of their own (profiles/<product>/personal-<locale>.js, made from
 * templates/personal.js.tpl, escaped by it), which the page loads before
 * this one and which registers them in self.mailguideStencils under the
 * name the form gives in data-stencils. They hold every profile as
 * mailguide rendered it for a stand-in reader: address
 * mgxstandinlocalx@mgxstandindomainx, name mgxstandinnamex (`named`) or none
 * (`text`). Filling in the reader's values, escaped the way the profile's
 * template escapes them, and the UUIDs made from the reader's address, gives
 * the bytes `mailguide profile --email ADDRESS [--name NAME]` writes
 * (tests/browser/ compares both). Without JavaScript, or without its
 * stencils, a form stays hidden and the links give the generic files. */
(function () {
	'use strict';

	var STAND_IN_LOCAL = 'mgxstandinlocalx', STAND_IN_DOMAIN = 'mgxstandindomainx',
		STAND_IN_NAME = 'mgxstandinnamex';

	/* ---- escaping, as the templates do it (src/tpl.cc, ctemplate) ---- */

	var XML_ENTITY = {'&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;', '>': '&gt;'};

	/* ctemplate's XML context: the five entities; control characters XML
	 * cannot hold become spaces. */
	function escapeXml(s) {
		return s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f&"'<>]/g, function (c) {
			return XML_ENTITY[c] || ' ';
		});
	}

	/* :x-js-string (user.js): only the escapes Mozilla's preference reader knows. */
	function escapeJs(s) {
		return s.replace(/[\x00-\x1f\x7f\\"'<>&=\u2028\u2029]/g, function (c) {
			if (c === '\\') return '\\\\';
			if (c === '\n') return '\\n';
			if (c === '\r') return '\\r';
			if (c === '\u2028') return '\\u2028';
			if (c === '\u2029') return '\\u2029';
			var h = c.charCodeAt(0).toString(16);
			return '\\x' + (h.length < 2 ? '0' + h : h);
		});
	}

	/* :x-ps-squote: PowerShell counts U+2018-U+201B as single quotes too. */
	function escapePs(s) {
		return s.replace(/['\u2018-\u201b]/g, function (c) { return c + c; });
	}

	var ESCAPE = {apple: escapeXml, thunderbird: escapeJs, outlook: escapeXml, windows: escapePs};

	/* ---- name-based UUIDs (RFC 9562 version 5), as src/uuid.c ---- */

	/* SHA-1 (FIPS 180-4) of an array of bytes; returns 20 bytes. */
	function sha1(bytes) {
		var n = bytes.length, words = new Array(((n + 8 >> 6) + 1) * 16).fill(0), i;
		for (i = 0; i < n; i++)
			words[i >> 2] |= bytes[i] << (24 - 8 * (i & 3));
		words[n >> 2] |= 0x80 << (24 - 8 * (n & 3));
		words[words.length - 1] = n * 8;
		var h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0], w = new Array(80);
		for (var blk = 0; blk < words.length; blk += 16) {
			var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], t;
			for (t = 0; t < 80; t++) {
				if (t < 16) {
					w[t] = words[blk + t];
				} else {
					var x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16];
					w[t] = x << 1 | x >>> 31;
				}
				var f, k;
				if (t < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
				else if (t < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
				else if (t < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc; }
				else { f = b ^ c ^ d; k = 0xca62c1d6; }
				var tmp = ((a << 5 | a >>> 27) + f + e + k + w[t]) | 0;
				e = d; d = c; c = b << 30 | b >>> 2; b = a; a = tmp;
			}
			h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0;
			h[3] = (h[3] + d) | 0; h[4] = (h[4] + e) | 0;
		}
		var out = [];
		for (i = 0; i < 20; i++)
			out.push(h[i >> 2] >>> (24 - 8 * (i & 3)) & 255);
		return out;
	}

	var NS_URL = [0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
		0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8];

	/* Upper-case hex with dashes, as src/uuid.c writes it. */
	function uuid5(name) {
		var md = sha1(NS_URL.concat(Array.from(new TextEncoder().encode(name))));
		md[6] = (md[6] & 0x0f) | 0x50;
		md[8] = (md[8] & 0x3f) | 0x80;
		var s = '';
		for (var i = 0; i < 16; i++) {
			if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
			s += (md[i] < 16 ? '0' : '') + md[i].toString(16).toUpperCase();
		}
		return s;
	}

	/* The UUIDs a personalized profile takes from its address (src/profiles.c
	 * S_uuid, S_address_tag): the payloads' and the 8-digit address tag of
	 * keys and identifiers. Names are lower case, as there. */
	function uuids(prefix, email) {
		var name = function (what) { return (prefix + what + '/' + email).toLowerCase(); };
		return {profile: uuid5(name('profile')), mail: uuid5(name('mail')),
			tag: uuid5(name('address')).slice(0, 8).toLowerCase()};
	}

	/* ---- the address, checked as profiles_email_check does ---- */

	var ATEXT = /^[A-Za-z0-9!#$&'*+\/=?^_`{|}~-]$/;
	var LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

	/* '' when `email` can go into the profiles of `data`; 'invalid' or
	 * 'domain' otherwise. */
	function problem(data, email) {
		var at = email.lastIndexOf('@');
		if (at < 1 || at > 64) return 'invalid';
		var local = email.slice(0, at), domain = email.slice(at + 1);
		if (local[0] === '.' || local[local.length - 1] === '.' || local.indexOf('..') >= 0)
			return 'invalid';
		for (var i = 0; i < local.length; i++)
			if (local[i] !== '.' && !ATEXT.test(local[i])) return 'invalid';
		if (domain.length < 1 || domain.length > 253) return 'invalid';
		var labels = domain.split('.');
		if (labels.length < 2 || !labels.every(function (l) { return LABEL.test(l); }))
			return 'invalid';
		if (!data.anyDomain && !data.domains.some(function (d) {
			return d.toLowerCase() === domain.toLowerCase();
		}))
			return 'domain';
		return '';
	}

	/* ---- making the file ---- */

	/* The profile of `file` (one entry of data.files) for `email` and `name`. */
	function personalize(data, file, email, name) {
		var esc = ESCAPE[file.client], at = email.lastIndexOf('@');
		var text = name && file.named ? file.named : file.text; /* named: '' for a format without a name */
		var standIn = uuids(data.uuidPrefix, STAND_IN_LOCAL + '@' + STAND_IN_DOMAIN);
		var real = uuids(data.uuidPrefix, email);
		var to = {};
		to[STAND_IN_LOCAL] = esc(email.slice(0, at));
		to[STAND_IN_DOMAIN] = esc(email.slice(at + 1));
		to[STAND_IN_NAME] = esc(name);
		to[standIn.profile] = real.profile;
		to[standIn.mail] = real.mail;
		to[standIn.tag] = real.tag;
		/* One pass, longest first: a value put in is never replaced again. */
		var keys = Object.keys(to).sort(function (a, b) { return b.length - a.length; });
		return text.replace(new RegExp(keys.join('|'), 'g'), function (m) { return to[m]; });
	}

	function save(file, type, text) {
		var a = document.createElement('a');
		a.href = URL.createObjectURL(new Blob([text], {type: type}));
		a.download = file;
		a.hidden = true;
		document.body.appendChild(a);
		a.click();
		a.remove();
		setTimeout(function () { URL.revokeObjectURL(a.href); }, 60000);
	}

	function setUp(form) {
		var data = (self.mailguideStencils || {})[form.getAttribute('data-stencils')];
		if (!data) return; /* its script did not load */
		/* The files of the form's buttons, in their order. */
		var files = Array.prototype.map.call(form.querySelectorAll('button[type=submit]'), function (b) {
			return data.files.filter(function (f) { return f.client === b.value; })[0];
		});
		if (files.length === 0 || !files.every(Boolean)) return;
		var emailField = form.elements.email, nameField = form.elements.name;
		var error = document.getElementById(form.id + '-error');
		var status = form.querySelector('.personalize-status');
		form.hidden = false;
		emailField.addEventListener('input', function () {
			emailField.removeAttribute('aria-invalid');
			error.textContent = '';
		});
		form.addEventListener('submit', function (ev) {
			ev.preventDefault();
			var email = emailField.value.trim();
			var name = nameField ? nameField.value.trim() : '';
			var why = problem(data, email);
			status.textContent = '';
			if (why) {
				error.textContent = why === 'domain'
					? data.otherDomain + ' ' + data.domains.join(', ') : data.invalid;
				emailField.setAttribute('aria-invalid', 'true');
				emailField.focus();
				return;
			}
			var client = ev.submitter && ev.submitter.value;
			var file = files.filter(function (f) { return f.client === client; })[0] || files[0];
			save(file.file, file.type, personalize(data, file, email, name));
			status.textContent = data.saved + ' ' + file.file + ' (' + email + ')';
		});
	}

	Array.prototype.forEach.call(document.querySelectorAll('form.personalize[data-stencils]'), setUp);
})();
