#!/usr/bin/env python3
"""gen.py OUT PAGES LOCALES: writes a synthetic corpus of PAGES guide pages
(PAGES / LOCALES guides, each in LOCALES locales) three ways:

  OUT/mailguide/content/   in mailguide's content format (site.yaml,
                           servers.yaml, strings/, guides/<id>/guide.<ll-cc>.md)
  OUT/hugo/                the same guides as a multilingual Hugo site, data
                           references as a shortcode reading data/servers.yaml
  OUT/md/                  the bare Markdown, one file per page, for cmark-gfm

Guides look like the shipped ones: front matter, headings with ids, numbered
steps, images with {.thumbnail}, notes, a settings table, code spans with
{.action}, cross-links and data references. The text is deterministic."""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
WORDS = ("account server message folder password address client setting profile signature "
         "mailbox connection program window button menu option device phone computer").split()
LANGS = ["pl-pl", "en-gb", "fr-fr", "de-de", "es-es", "it-it", "nl-nl", "pt-pt", "cs-cz", "fi-fi",
         "lt-lt", "en-ie", "en-ca", "fr-ca", "es-us", "en-us", "en-au", "en-sg", "en-in", "en-asia"]
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")


def sentence(seed, n=14):
    return " ".join(WORDS[(seed * 7 + k * 13) % len(WORDS)] for k in range(n)).capitalize() + "."


def guide_body(g, loc, n_guides, hugo):
    ref = (lambda r: '{{< srv "%s" >}}' % r) if hugo else (lambda r: "{{%s}}" % r)
    out = []
    for part in range(6):
        out.append(f"## Part {part + 1}: {WORDS[(g + part) % len(WORDS)]} {{#part-{part + 1}}}\n")
        out.append(" ".join(sentence(g * 31 + part * 3 + k) for k in range(4)) + "\n")
        for step in range(5):
            out.append(f"{step + 1}. Click `{WORDS[(step + part) % len(WORDS)].title()}`{{.action}} and "
                       f"type {ref('imap.host')} with port {ref('imap.ssl.port')}. {sentence(g + step)}")
        out.append("")
        out.append(f"![Step {part + 1}](images/step-{part + 1}.png){{.thumbnail}}\n")
        kind = ["primary", "warning", "alert", "success", "info", "primary"][part]
        out.append(f"> [!{kind}]\n>\n> {sentence(g + part * 5, 24)} See [part 1](#part-1).\n")
    if not hugo:
        out.append("Log in to [the control panel]({manager}) to check the account first.\n")
    out.append("## Settings {#settings}\n")
    out.append("| Field | Incoming | Outgoing |\n|---|---|---|")
    out.append(f"| Server | {ref('imap.host')} | {ref('smtp.host')} |")
    out.append(f"| Port | {ref('imap.ssl.port')} | {ref('smtp.ssl.port')} |")
    out.append(f"| Security | {ref('imap.ssl.security')} | {ref('smtp.ssl.security')} |\n")
    other = (g + 1) % n_guides
    if hugo:
        out.append(f"See also [guide {other}]({{{{< relref \"/guide-{other:05d}\" >}}}}).\n")
    else:
        out.append(f"See also []({{legacy}}{5000 + other}).\n")
    return "\n".join(out)


def front(g, loc, hugo):
    lines = ["---", f"title: Guide {g} about the {WORDS[g % len(WORDS)]} ({loc})",
             f"slug: guide-{g:05d}", f"excerpt: {sentence(g, 10)}"]
    if hugo:
        lines += [f"weight: {g + 1}", "date: 2026-11-20"]
    else:
        # Like the shipped guides: most are about a mail program (with the
        # download box of its profiles), some are general.
        client = ["apple", "thunderbird", "outlook", "windows-mail", "other"][g % 5]
        section = "general" if client == "other" else "clients"
        lines += [f"section: {section}", f'order: "{g % 100:02d}"', "updated: 2026-11-20",
                  f"legacy_guide_number: g{5000 + g}", f"client: {client}", "products: [mxplan]"]
    return "\n".join(lines + ["---", "", ""])


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)


def main():
    out, pages, n_loc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    locales = LANGS[:n_loc]
    n_guides = pages // n_loc
    shutil.rmtree(out, ignore_errors=True)
    mg = os.path.join(out, "mailguide", "content")
    shutil.copytree(os.path.join(REPO, "content", "strings"), os.path.join(mg, "strings"))
    shutil.copy(os.path.join(REPO, "content", "servers.yaml"), mg)
    site = ["base_url: https://help.example.test/", f"default_locale: {locales[0]}", "locales:"]
    for loc in locales:
        site += [f"  {loc}:", f"    name: {loc}", f"    title: Help {loc}",
                 "    placeholders: {manager: 'https://example.test/manager', webmail: 'https://example.test/mail'}"]
        src = os.path.join(REPO, "content", "strings", f"{loc}.yaml")
        if not os.path.exists(src):
            shutil.copy(os.path.join(REPO, "content", "strings", "en-gb.yaml"), os.path.join(mg, "strings", f"{loc}.yaml"))
    write(os.path.join(mg, "site.yaml"), "\n".join(site) + "\n")
    hugo = os.path.join(out, "hugo")
    shutil.copytree(os.path.join(HERE, "hugo", "layouts"), os.path.join(hugo, "layouts"))
    write(os.path.join(hugo, "data", "servers.yaml"), open(os.path.join(REPO, "content", "servers.yaml")).read())
    cfg = ['baseURL = "https://help.example.test/"', f'defaultContentLanguage = "{locales[0]}"',
           'defaultContentLanguageInSubdir = true', "[markup.goldmark.renderer]", "unsafe = false",
           "[markup.goldmark.parser.attribute]", "block = true", "title = true", "[languages]"]
    for i, loc in enumerate(locales):
        cfg += [f'[languages.{loc}]', f'contentDir = "content/{loc}"', f"weight = {i + 1}",
                f'languageName = "{loc}"', f'title = "Help {loc}"']
    write(os.path.join(hugo, "config.toml"), "\n".join(cfg) + "\n")
    for g in range(n_guides):
        gid = f"guide-{g:05d}"
        for loc in locales:
            md = guide_body(g, loc, n_guides, False)
            write(os.path.join(mg, "guides", gid, f"guide.{loc}.md"), front(g, loc, False) + md)
            write(os.path.join(out, "md", f"{gid}.{loc}.md"), md + "\n")
            write(os.path.join(hugo, "content", loc, gid, "index.md"),
                  front(g, loc, True) + guide_body(g, loc, n_guides, True))
        for part in range(6):
            for base in (os.path.join(mg, "guides", gid), os.path.join(hugo, "content", locales[0], gid)):
                write(os.path.join(base, "images", f"step-{part + 1}.png"), PNG, "wb")
    print(f"{n_guides} guides x {len(locales)} locales = {n_guides * len(locales)} pages in {out}")


if __name__ == "__main__":
    main()
