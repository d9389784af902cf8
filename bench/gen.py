#!/usr/bin/env python3
"""gen.py OUT PAGES LOCALES [SHAPE]: writes a synthetic corpus of PAGES guide
pages (PAGES / LOCALES guides, each in LOCALES locales) three ways:

  OUT/mailguide/content/   in mailguide's content format (site.yaml,
                           servers.yaml, strings/, guides/<id>/guide.<ll-cc>.md)
  OUT/hugo/                the same guides as a multilingual Hugo site, data
                           references as a shortcode reading data/servers.yaml
  OUT/md/                  the bare Markdown, one file per page, for cmark-gfm

SHAPE "bench" (the default): guides look like the shipped ones, small (about
2 KB): front matter, headings with ids, numbered steps, images with
{.thumbnail}, notes, a settings table, code spans with {.action}, cross-links
and data references; six identical 1-pixel images per guide.

SHAPE "real": pages shaped like a real help corpus (issue 23), about 8 KB of
Markdown each: long prose in the locale's words, several tables (one with
<br> in cells), notes of several kinds with a bare ">" line, attributes on
images, code spans and links, in-page links to headings (explicit ids and
generated ones), cross-links to other guides (legacy numbers, with a
fragment, and the source repository's folder links), placeholders and data
references; 10 or 11 small PNG screenshots per guide (a few KB each, every
one different), shared by the guide's locales.

The text is deterministic. OUT/.params records the arguments and this
script's digest: when they match, the corpus is kept as it is."""
import hashlib
import os
import random
import shutil
import struct
import sys
import zlib

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


# The realistic shape ("real"). Each locale has its own words (accented where
# the language has accents, so generated heading ids fold them) and a pool of
# sentences drawn from them once; a page picks its sentences from the pool by
# its guide number, so pages differ and repeat as translated help does.
REAL_WORDS = {
    "pl-pl": "konto serwer wiadomość folder hasło adres program ustawienia profil podpis skrzynka "
             "połączenie okno przycisk menu opcja urządzenie telefon komputer poczta nadawca odbiorca "
             "załącznik szyfrowanie certyfikat użytkownik domena kopia zapasowa synchronizacja "
             "kalendarz kontakty reguła filtr spam kosz wysyłanie odbieranie".split(),
    "en-gb": "account server message folder password address program settings profile signature "
             "mailbox connection window button menu option device phone computer mail sender "
             "recipient attachment encryption certificate user domain backup copy synchronisation "
             "calendar contacts rule filter spam bin sending receiving colour licence".split(),
    "fr-fr": "compte serveur message dossier mot passe adresse logiciel paramètres profil signature "
             "boîte connexion fenêtre bouton menu option appareil téléphone ordinateur courriel "
             "expéditeur destinataire pièce jointe chiffrement certificat utilisateur domaine "
             "sauvegarde synchronisation agenda contacts règle filtre indésirable corbeille".split(),
    "de-de": "Konto Server Nachricht Ordner Passwort Adresse Programm Einstellungen Profil Signatur "
             "Postfach Verbindung Fenster Schaltfläche Menü Option Gerät Telefon Computer E-Mail "
             "Absender Empfänger Anhang Verschlüsselung Zertifikat Benutzer Domäne Sicherung "
             "Abgleich Kalender Kontakte Regel Filter Spam Papierkorb Versand Empfang größer".split(),
    "es-es": "cuenta servidor mensaje carpeta contraseña dirección programa configuración perfil "
             "firma buzón conexión ventana botón menú opción dispositivo teléfono ordenador correo "
             "remitente destinatario adjunto cifrado certificado usuario dominio copia seguridad "
             "sincronización calendario contactos regla filtro spam papelera envío recepción".split(),
}
REAL_SECTIONS = {"pl-pl": ["Konfiguracja na komputerze", "Konfiguracja na smartfonie", "Informacje ogólne"],
                 "en-gb": ["Configure on computer", "Configure on smartphone", "General information"],
                 "fr-fr": ["Configurer sur ordinateur", "Configurer sur smartphone", "Informations générales"],
                 "de-de": ["Einrichtung am Computer", "Einrichtung am Smartphone", "Allgemeine Informationen"],
                 "es-es": ["Configurar en el ordenador", "Configurar en el smartphone", "Información general"]}
NOTES = ["primary", "warning", "note", "alert", "success", "hint", "info", "secondary"]
POOL = 4000
_pools = {}


def real_pool(loc):
    """The locale's sentences: POOL of them, some with inline emphasis, code
    or a code span with {.action}, drawn once by a seeded generator."""
    if loc not in _pools:
        words = REAL_WORDS.get(loc, REAL_WORDS["en-gb"])
        rnd = random.Random(loc)
        pool = []
        for k in range(POOL):
            w = [rnd.choice(words) for _ in range(rnd.randint(5, 12))]
            mark = k % 9
            if mark == 1:
                w[2] = f"**{w[2]}**"
            elif mark == 3:
                w[4] = f"*{w[4]}*"
            elif mark == 5:
                w[1] = f"`{w[1]}`"
            elif mark == 7:
                w[3] = f"`{w[3].title()}`{{.action}}"
            pool.append(" ".join(w)[:1].upper() + " ".join(w)[1:] + ".")
        _pools[loc] = pool
    return _pools[loc]


def real_text(loc, seed, n):
    pool = real_pool(loc)
    return " ".join(pool[(seed * 7919 + k * 104729) % POOL] for k in range(n))


def real_images(g):
    """How many images guide g has: 10 or 11, 21,000 per 2,000 guides."""
    return 10 + (g % 2)


def real_body(g, loc, n_guides, hugo):
    pool_words = REAL_WORDS.get(loc, REAL_WORDS["en-gb"])
    ref = (lambda r: '{{< srv "%s" >}}' % r) if hugo else (lambda r: "{{%s}}" % r)
    manager = "https://example.test/manager" if hugo else "{manager}"

    def guide_link(o, text, frag="", folder=False):
        if hugo:
            return f'[{text or "guide %d" % o}]({{{{< relref "/guide-{o:05d}{frag}" >}}}})'
        if folder:
            return f"[{text}](/pages/web/emails/guide-{o:05d}/{frag})"
        return f"[{text}]({{legacy}}g{5000 + o}{frag})"

    def note(kind, seed, n, extra=""):
        lines = [f"> [!{kind}]", ">"]
        lines += ["> " + real_text(loc, seed, n) + extra]
        return "\n".join(lines) + "\n"

    others = [(g + d) % n_guides for d in (1, 7, 31, 101)]
    n_img = real_images(g)
    img = 0
    out = [f"## {pool_words[g % 7].capitalize()} {{#objective}}\n",
           real_text(loc, g, 4) + f" {real_text(loc, g + 1, 2)}\n",
           note("primary", g + 2, 2, " See [the settings](#settings)."),
           f"## {pool_words[(g + 3) % 11].capitalize()} {{#requirements}}\n"]
    for k in range(4):
        out.append(f"- {real_text(loc, g * 4 + k, 1)}")
    out.append(f"- [{pool_words[5]}]({manager}), {real_text(loc, g + 9, 1)}")
    out.append(f"- [www.example.test](https://www.example.test/{loc}/){{.external}}\n")
    for part in range(1, 6):
        # Headings of parts 2 and 4 have no id: theirs is made from the text.
        title = f"{part}. {pool_words[(g + part) % len(pool_words)]} {pool_words[(g * 3 + part) % len(pool_words)]}"
        out.append(f"## {title.capitalize()}" + ("\n" if part % 2 == 0 else f" {{#part-{part}}}\n"))
        out.append(real_text(loc, g * 11 + part, 2) + f" See [part 1](#part-1).\n")
        out.append(real_text(loc, g * 13 + part, 2) + "\n")
        for step in range(1, 4):
            out.append(f"{step}. {real_text(loc, g * 17 + part * 5 + step, 1)} "
                       f"Type {ref('imap.host')} and port {ref('imap.ssl.port')}.")
            if img < n_img and step != 2:
                img += 1
                out.append(f"\n   ![{pool_words[step]} {img}](images/shot-{img:02d}.png){{.thumbnail .w-400}}\n")
        out.append("")
        out.append(note(NOTES[(g + part) % len(NOTES)], g * 19 + part, 2,
                        f" See [the requirements](#requirements)."))
        if part == 2:
            out.append(f"### {pool_words[1].capitalize()} {pool_words[9]} {{#part-2-table}}\n")
            out.append(f"| {pool_words[0]} | {pool_words[1]} | {pool_words[2]} |\n|---|---|---|")
            for row in range(4):
                out.append(f"| `{pool_words[row + 3]}` | {real_text(loc, g + row, 1)} | "
                           f"{real_text(loc, g * 2 + row, 1)}<br>{pool_words[row]} |")
            out.append("")
        if part == 4:
            out.append(f"| {pool_words[3]} | {pool_words[4]} |\n|:--|--:|")
            for row in range(5):
                out.append(f"| {pool_words[row + 10]} {pool_words[row]} | {real_text(loc, g * 3 + row, 1)} |")
            out.append("")
    while img < n_img:
        img += 1
        out.append(f"![{pool_words[img % 7]}](images/shot-{img:02d}.png){{.thumbnail}}\n")
    out.append(f"## {pool_words[2].capitalize()} {{#settings}}\n")
    out.append(f"| {pool_words[0]} | IMAP | SMTP |\n|---|---|---|")
    out.append(f"| {pool_words[1]} | {ref('imap.host')} | {ref('smtp.host')} |")
    out.append(f"| {pool_words[2]} | {ref('imap.ssl.port')} | {ref('smtp.ssl.port')} |")
    out.append(f"| {pool_words[3]} | {ref('imap.ssl.security')} | {ref('smtp.ssl.security')} |")
    out.append(f"| {pool_words[4]} | {ref('imap.ssl.login')} | {ref('smtp.ssl.login')} |\n")
    out.append(note("warning", g * 23, 2, " " + guide_link(others[0], "", "#settings") + "."))
    out.append(f"## {pool_words[6].capitalize()} {{#gofurther}}\n")
    out.append(real_text(loc, g * 29, 2) + "\n")
    out.append(f"- {guide_link(others[0], '')}")
    out.append(f"- {guide_link(others[1], pool_words[7], '#objective')}")
    out.append(f"- {guide_link(others[2], pool_words[8], '', folder=True)}")
    out.append(f"- {guide_link(others[3], pool_words[9])}{{.internal}}\n")
    return "\n".join(out)


def real_front(g, loc, hugo):
    words = REAL_WORDS.get(loc, REAL_WORDS["en-gb"])
    lines = ["---", f"title: {words[g % len(words)].capitalize()} {words[(g * 7) % len(words)]} {g}",
             f"slug: guide-{g:05d}", f"excerpt: {real_text(loc, g * 37, 1)}"]
    if hugo:
        lines += [f"weight: {g + 1}", "date: 2026-11-20"]
    else:
        client = ["apple", "thunderbird", "outlook", "windows-mail", "other"][g % 5]
        sections = REAL_SECTIONS.get(loc, REAL_SECTIONS["en-gb"])
        lines += [f"section: {sections[g % 3]}", f'order: "{g % 100:02d}"', "updated: 2026-11-20",
                  f"legacy_guide_number: g{5000 + g}", f"client: {client}", "products: [mxplan]"]
    return "\n".join(lines + ["---", "", ""])


def png(seed):
    """A small grey-scale PNG, 160x100, different for every seed: flat
    panels with rows of noise where a screenshot has text (1 to 5 KB)."""
    w, h = 160, 140
    rnd = random.Random(seed)
    bg, panel = rnd.randint(200, 255), rnd.randint(120, 200)
    noise = rnd.randbytes(w * 8)
    lines = rnd.randint(40, 120)
    rows = []
    for y in range(h):
        if 10 <= y < min(10 + lines, h - 10) and y % 3:
            x = rnd.randint(8, 40)
            n = rnd.randint(50, w - x - 8)
            row = bytes([bg]) * x + noise[(y * 53) % (w * 7):][:n] + bytes([bg]) * (w - x - n)
        else:
            row = bytes([panel if y < 8 or y > h - 10 else bg]) * w
        rows.append(b"\0" + row)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + chunk(b"IEND", b""))


def main():
    out, pages, n_loc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    shape = sys.argv[4] if len(sys.argv) > 4 else "bench"
    if shape not in ("bench", "real"):
        sys.exit(f"gen.py: unknown shape '{shape}' (bench or real)")
    locales = LANGS[:n_loc]
    n_guides = pages // n_loc
    with open(__file__, "rb") as f:
        params = f"{shape} {pages} {n_loc} {hashlib.sha256(f.read()).hexdigest()}\n"
    stamp = os.path.join(out, ".params")
    if os.path.exists(stamp) and open(stamp).read() == params:
        print(f"{n_guides} guides x {len(locales)} locales = {n_guides * len(locales)} pages in {out} (kept)")
        return
    body, head = (real_body, real_front) if shape == "real" else (guide_body, front)
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
            md = body(g, loc, n_guides, False)
            write(os.path.join(mg, "guides", gid, f"guide.{loc}.md"), head(g, loc, False) + md)
            write(os.path.join(out, "md", f"{gid}.{loc}.md"), md + "\n")
            write(os.path.join(hugo, "content", loc, gid, "index.md"),
                  head(g, loc, True) + body(g, loc, n_guides, True))
        if shape == "real":
            images = [(f"shot-{k:02d}.png", png(g * 16 + k)) for k in range(1, real_images(g) + 1)]
        else:
            images = [(f"step-{k}.png", PNG) for k in range(1, 7)]
        for name, data in images:
            first = os.path.join(mg, "guides", gid, "images", name)
            write(first, data, "wb")
            # Hugo's copy is the same file (a hard link: tmpfs is small).
            copy = os.path.join(hugo, "content", locales[0], gid, "images", name)
            os.makedirs(os.path.dirname(copy), exist_ok=True)
            os.link(first, copy)
    write(stamp, params)
    print(f"{n_guides} guides x {len(locales)} locales = {n_guides * len(locales)} pages in {out}")


if __name__ == "__main__":
    main()
