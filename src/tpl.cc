// tpl.cc: the adapter from mailguide's C code to ctemplate's C++ API.
// Nothing else includes a C++ header; nothing here decides content.
#include "tpl.h"

#include <ctemplate/template.h>
#include <ctemplate/template_cache.h>
#include <ctemplate/template_dictionary.h>
#include <ctemplate/template_modifiers.h>

#include <deque>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

struct tpl_engine {
	ctemplate::TemplateCache cache;
	std::string root;
};

// A dictionary handle is the ctemplate dictionary itself.
static ctemplate::TemplateDictionary *D(tpl_dict *d)
{
	return reinterpret_cast<ctemplate::TemplateDictionary *>(d);
}
static const ctemplate::TemplateDictionary *D(const tpl_dict *d)
{
	return reinterpret_cast<const ctemplate::TemplateDictionary *>(d);
}
static tpl_dict *H(ctemplate::TemplateDictionary *d) { return reinterpret_cast<tpl_dict *>(d); }

namespace
{

// Inside a PowerShell single-quoted string the only special characters are
// the single quotes, and PowerShell counts the typographic ones (U+2018,
// U+2019, U+201A, U+201B) as single quotes too; each is escaped by doubling.
class PsSingleQuote : public ctemplate::TemplateModifier
{
	void Modify(const char *in, size_t inlen, const ctemplate::PerExpandData *,
		    ctemplate::ExpandEmitter *out, const std::string &) const override
	{
		for (size_t i = 0; i < inlen; i++) {
			unsigned char c = static_cast<unsigned char>(in[i]);
			if (c == '\'') {
				out->Emit("''");
			} else if (c == 0xE2 && i + 2 < inlen &&
				   static_cast<unsigned char>(in[i + 1]) == 0x80 &&
				   (static_cast<unsigned char>(in[i + 2]) & 0xFC) == 0x98) {
				out->Emit(in + i, 3);
				out->Emit(in + i, 3);
				i += 2;
			} else {
				out->Emit(in[i]);
			}
		}
	}
};

const PsSingleQuote ps_squote;

// A JavaScript string literal that Mozilla's preference-file reader
// (user.js, prefs.js) reads as well: that reader accepts only the escapes
// \\ \" \' \n \r \xHH \uHHHH, while ctemplate's :j writes \t \b \f and
// leaves other control characters raw. Everything :j escapes is escaped
// here too (quotes, backslash, < > & =, U+2028/U+2029), so this is at least
// as safe as :j wherever :j is, and is registered XSS-safe: ctemplate then
// does not escape the result a second time.
class JsString : public ctemplate::TemplateModifier
{
	void Modify(const char *in, size_t inlen, const ctemplate::PerExpandData *,
		    ctemplate::ExpandEmitter *out, const std::string &) const override
	{
		static const char hex[] = "0123456789abcdef";
		for (size_t i = 0; i < inlen; i++) {
			unsigned char c = static_cast<unsigned char>(in[i]);
			if (c == '\\') {
				out->Emit("\\\\");
			} else if (c == '\n') {
				out->Emit("\\n");
			} else if (c == '\r') {
				out->Emit("\\r");
			} else if (c < 0x20 || c == 0x7f || c == '"' || c == '\'' || c == '<' ||
				   c == '>' || c == '&' || c == '=') {
				char esc[5] = {'\\', 'x', hex[c >> 4], hex[c & 15], 0};
				out->Emit(esc);
			} else if (c == 0xE2 && i + 2 < inlen &&
				   static_cast<unsigned char>(in[i + 1]) == 0x80 &&
				   (static_cast<unsigned char>(in[i + 2]) & 0xFE) == 0xA8) {
				out->Emit(static_cast<unsigned char>(in[i + 2]) == 0xA8
						  ? "\\u2028"
						  : "\\u2029");
				i += 2;
			} else {
				out->Emit(in[i]);
			}
		}
	}
};

const JsString js_string;

// Expands straight into the caller's buffer (through a std::string, each
// page was built up, then copied).
class BufEmitter : public ctemplate::ExpandEmitter
{
	struct buf *b_;

      public:
	explicit BufEmitter(struct buf *b) : b_(b) {}
	void Emit(char c) override { buf_putc(b_, c); }
	void Emit(const std::string &s) override { buf_put(b_, s.data(), s.size()); }
	void Emit(const char *s) override { buf_puts(b_, s); }
	void Emit(const char *s, size_t n) override { buf_put(b_, s, n); }
};

void register_modifiers()
{
	// ctemplate keeps modifiers in a process-wide table: register once.
	static std::once_flag once;
	std::call_once(once, [] {
		ctemplate::AddModifier("x-ps-squote", &ps_squote);
		ctemplate::AddXssSafeModifier("x-js-string", &js_string);
	});
}

} // namespace

extern "C" {

tpl_engine *tpl_engine_new(const char *root_dir)
{
	register_modifiers();
	tpl_engine *e = new tpl_engine;
	e->root = root_dir;
	e->cache.SetTemplateRootDirectory(e->root);
	return e;
}

void tpl_engine_free(tpl_engine *e) { delete e; }

tpl_dict *tpl_dict_new(void) { return H(new ctemplate::TemplateDictionary("root")); }

void tpl_dict_free(tpl_dict *d) { delete D(d); }

void tpl_set(tpl_dict *d, const char *name, const char *value)
{
	D(d)->SetValue(name, value ? value : "");
}

void tpl_set_int(tpl_dict *d, const char *name, long value) { D(d)->SetIntValue(name, value); }

// A name's id is computed once, by StaticTemplateStringInitializer, which
// also enters the name into ctemplate's process-wide table from id to name
// (for dumps) by reference. So that table never points into a freed set,
// the name is entered first through a scratch dictionary, which makes
// ctemplate keep a copy of its own; the initializer then finds it there.
struct tpl_var {
	ctemplate::StaticTemplateString name;
	const char *value;
};

struct tpl_vars {
	std::deque<std::string> names; // stable addresses, as the ids' names
	std::vector<tpl_var> vars;
	std::unordered_map<std::string, size_t> index;
	ctemplate::TemplateDictionary scratch{"tpl_vars"};
};

tpl_vars *tpl_vars_new(void) { return new tpl_vars; }

void tpl_vars_free(tpl_vars *v) { delete v; }

void tpl_vars_put(tpl_vars *v, const char *name, const char *value)
{
	value = value ? value : "";
	auto it = v->index.find(name);
	if (it != v->index.end()) {
		v->vars[it->second].value = value;
		return;
	}
	v->names.emplace_back(name);
	const std::string &kept = v->names.back();
	v->scratch.SetValue(kept, "");
	tpl_var var = {{{kept.data(), kept.size(), 0}}, value};
	ctemplate::StaticTemplateStringInitializer init(&var.name);
	v->index.emplace(kept, v->vars.size());
	v->vars.push_back(var);
}

void tpl_set_vars(tpl_dict *d, const tpl_vars *v)
{
	for (const tpl_var &var : v->vars)
		D(d)->SetValueWithoutCopy(var.name, var.value);
}

tpl_dict *tpl_section(tpl_dict *d, const char *name) { return H(D(d)->AddSectionDictionary(name)); }

void tpl_show(tpl_dict *d, const char *name) { D(d)->ShowSection(name); }

tpl_dict *tpl_include(tpl_dict *d, const char *name, const char *file)
{
	ctemplate::TemplateDictionary *child = D(d)->AddIncludeDictionary(name);
	child->SetFilename(file);
	return H(child);
}

bool tpl_expand(tpl_engine *e, const char *file, const tpl_dict *d, struct buf *out,
		struct diag *diag)
{
	size_t mark = out->len;
	BufEmitter emit(out);
	if (!e->cache.ExpandWithData(file, ctemplate::DO_NOT_STRIP, D(d), nullptr, &emit)) {
		out->len = mark; /* ctemplate may have written part of it */
		if (out->data)
			out->data[mark] = '\0';
		std::string path = e->root + "/" + file;
		diag_error(diag, path.c_str(), 0, 0,
			   "cannot load or expand this template (ctemplate's message above)");
		return false;
	}
	return true;
}

bool tpl_check_manual(tpl_engine *e, const char *file, const char *modifier, struct diag *diag)
{
	std::string path = e->root + "/" + file;
	std::ifstream in(path, std::ios::binary);
	if (!in) {
		diag_error(diag, path.c_str(), 0, 0, "cannot read this template");
		return false;
	}
	std::stringstream ss;
	ss << in.rdbuf();
	const std::string t = ss.str();
	bool ok = true;
	unsigned line = 1, col = 1;
	for (size_t i = 0; i < t.size(); i++) {
		if (t.compare(i, 2, "{{") != 0) {
			if (t[i] == '\n')
				line++, col = 1;
			else
				col++;
			continue;
		}
		size_t end = t.find("}}", i + 2);
		if (end == std::string::npos)
			break; // ctemplate reports the unclosed marker itself
		std::string m = t.substr(i + 2, end - i - 2);
		char kind = m.empty() ? ' ' : m[0];
		if (kind == '%' || kind == '=') {
			diag_error(diag, path.c_str(), line, col,
				   "this template is expanded without auto-escaping and checked "
				   "for :%s instead; it may not change context or delimiters",
				   modifier);
			ok = false;
		} else if (kind != '#' && kind != '/' && kind != '>' && kind != '!' &&
			   m.compare(0, 3, "BI_") != 0) {
			size_t colon = m.rfind(':');
			std::string last = colon == std::string::npos ? "" : m.substr(colon + 1);
			last = last.substr(0, last.find('='));
			if (colon == std::string::npos || last != modifier) {
				diag_error(
					diag, path.c_str(), line, col,
					"'{{%s}}' must end with the modifier :%s: ctemplate has no "
					"escaping context for this format",
					m.c_str(), modifier);
				ok = false;
			}
		}
		for (size_t k = i; k < end + 2; k++) {
			if (t[k] == '\n')
				line++, col = 1;
			else
				col++;
		}
		i = end + 1;
	}
	return ok;
}

} // extern "C"
