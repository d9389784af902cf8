// tpl.cc: the adapter from mailguide's C code to ctemplate's C++ API.
// Nothing else includes a C++ header; nothing here decides content.
#include "tpl.h"

#include <ctemplate/template.h>
#include <ctemplate/template_cache.h>
#include <ctemplate/template_dictionary.h>
#include <ctemplate/template_modifiers.h>

#include <mutex>
#include <string>

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

namespace {

// Inside a PowerShell single-quoted string the only special characters are
// the single quotes, and PowerShell counts the typographic ones (U+2018,
// U+2019, U+201A, U+201B) as single quotes too; each is escaped by doubling.
class PsSingleQuote : public ctemplate::TemplateModifier {
	void Modify(const char *in, size_t inlen, const ctemplate::PerExpandData *,
		    ctemplate::ExpandEmitter *out, const std::string &) const override
	{
		for (size_t i = 0; i < inlen; i++) {
			unsigned char c = static_cast<unsigned char>(in[i]);
			if (c == '\'') {
				out->Emit("''");
			} else if (c == 0xE2 && i + 2 < inlen && static_cast<unsigned char>(in[i + 1]) == 0x80 &&
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

void register_modifiers()
{
	// ctemplate keeps modifiers in a process-wide table: register once.
	static std::once_flag once;
	std::call_once(once, [] { ctemplate::AddModifier("x-ps-squote", &ps_squote); });
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
	std::string text;
	if (!e->cache.ExpandWithData(file, ctemplate::DO_NOT_STRIP, D(d), nullptr, &text)) {
		std::string path = e->root + "/" + file;
		diag_error(diag, path.c_str(), 0, 0,
			   "cannot load or expand this template (ctemplate's message above)");
		return false;
	}
	buf_put(out, text.data(), text.size());
	return true;
}

} // extern "C"
