{{%AUTOESCAPE context="HTML"}}<!DOCTYPE html>
<html lang="{{LANG}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}}{{#WITH_SITE_TITLE}} · {{SITE_TITLE}}{{/WITH_SITE_TITLE}}</title>
<meta name="description" content="{{DESCRIPTION}}">
{{#NOINDEX}}<meta name="robots" content="noindex">
{{/NOINDEX}}{{#CANONICAL}}<link rel="canonical" href="{{HREF}}">
{{/CANONICAL}}{{#ALTERNATE}}<link rel="alternate" hreflang="{{HREFLANG}}" href="{{HREF}}">
{{/ALTERNATE}}{{#CSS_LINK}}<link rel="stylesheet" href="{{HREF}}">
{{/CSS_LINK}}{{!
  404.html is answered for missing URLs at any depth, on hosts and previews
  whose path we cannot know: it carries the stylesheet itself.
}}{{#CSS_INLINE}}<style>
{{>STYLE}}</style>
{{/CSS_INLINE}}
<link rel="icon" href="{{ICON}}" type="image/svg+xml">
</head>
<body>
<a class="skip" href="#mg-main">{{S_skip_to_content}}</a>
<header class="site">
<a class="home" href="{{HOME}}">{{SITE_TITLE}}</a>
{{#SWITCHER}}<nav class="languages" aria-label="{{S_choose_language}}"><ul>
{{#LOCALE}}<li><a href="{{HREF}}" hreflang="{{HREFLANG}}" lang="{{HREFLANG}}"{{#CURRENT}} aria-current="page"{{/CURRENT}}>{{NAME}}</a></li>
{{/LOCALE}}</ul></nav>
{{/SWITCHER}}</header>
{{#CRUMBS}}<nav class="breadcrumbs" aria-label="{{S_breadcrumbs}}"><ol>
{{#CRUMB}}<li>{{#LINK}}<a href="{{HREF}}">{{NAME}}</a>{{/LINK}}{{#HERE}}<span aria-current="page">{{NAME}}</span>{{/HERE}}</li>
{{/CRUMB}}</ol></nav>
{{/CRUMBS}}<main id="mg-main">
{{#ROOT_PAGE}}<h1>{{TITLE}}</h1>
<nav class="language-picker" aria-label="{{S_choose_language}}"><ul>
{{#PICK}}<li><a href="{{HREF}}" hreflang="{{HREFLANG}}" lang="{{HREFLANG}}"><span class="language">{{NAME}}</span> <span class="site-title">{{SITE_TITLE}}</span></a></li>
{{/PICK}}</ul></nav>
{{/ROOT_PAGE}}{{#NOTFOUND}}<h1>{{TITLE}}</h1>
<p>{{S_not_found_text}}</p>
<ul>
{{#PICK}}<li><a href="{{HREF}}" hreflang="{{HREFLANG}}" lang="{{HREFLANG}}">{{SITE_TITLE}} ({{NAME}})</a></li>
{{/PICK}}</ul>
{{/NOTFOUND}}{{#HOME}}<h1>{{TITLE}}</h1>
<p>{{S_home_intro}}</p>
{{#SECTION}}<section aria-labelledby="{{ID}}">
<h2 id="{{ID}}">{{SECTION_TITLE}}</h2>
<ul class="guides">
{{#ITEM}}<li><a href="{{HREF}}" lang="{{ITEM_LANG}}">{{GUIDE_TITLE}}</a>{{#UNTRANSLATED}} <span class="badge">{{S_untranslated_badge}}</span>{{/UNTRANSLATED}}{{#HAS_EXCERPT}}
<p lang="{{ITEM_LANG}}">{{EXCERPT}}</p>{{/HAS_EXCERPT}}</li>
{{/ITEM}}</ul>
</section>
{{/SECTION}}<section aria-labelledby="mg-settings">
<h2 id="mg-settings">{{S_settings_title}}</h2>
<ul>
{{#PRODUCT}}<li><a href="{{HREF}}">{{PROVIDER}} {{NAME}}</a></li>
{{/PRODUCT}}</ul>
</section>
{{/HOME}}{{#SETTINGS}}<h1>{{TITLE}}</h1>
<p>{{S_settings_intro}}</p>
{{>TABLE}}
{{#MANUAL}}<p class="manual" role="note"><strong>{{DEVICE}}</strong>: {{TEXT}}</p>
{{/MANUAL}}{{/SETTINGS}}{{#GUIDE}}{{#UNTRANSLATED}}<p class="banner untranslated" role="note">{{S_untranslated}} <span lang="{{SOURCE_LANG}}">{{SOURCE_NAME}}</span></p>
{{/UNTRANSLATED}}{{#DEPRECATED}}<p class="banner deprecated" role="note">{{S_deprecated}}</p>
{{/DEPRECATED}}<h1 lang="{{CONTENT_LANG}}">{{TITLE}}</h1>
{{#UPDATED}}<p class="updated">{{S_last_updated}} <time datetime="{{ISO}}">{{DATE}}</time></p>
{{/UPDATED}}{{#READY}}<section class="ready" aria-labelledby="mg-ready">
<h2 id="mg-ready">{{S_ready_title}}</h2>
<p>{{S_ready_intro}}</p>
<ul class="ready-files">
{{#PRODUCT}}<li><a class="button" href="{{HREF}}" download>{{LABEL}}{{#MANY}} ({{PROVIDER}} {{NAME}}){{/MANY}}</a>{{>QR}}</li>
{{/PRODUCT}}</ul>
<p><a href="#mg-downloads">{{S_ready_more}}</a></p>
</section>
{{/READY}}{{#TOC}}<nav class="toc" aria-labelledby="mg-toc">
<h2 id="mg-toc">{{S_on_this_page}}</h2>
<ol lang="{{CONTENT_LANG}}">
{{#ITEM}}<li><a href="#{{ID}}">{{TEXT}}</a>{{#SUBS}}<ol>
{{#SUB}}<li><a href="#{{ID}}">{{TEXT}}</a></li>
{{/SUB}}</ol>{{/SUBS}}</li>
{{/ITEM}}</ol>
</nav>
{{/TOC}}{{#SETTINGS_LINKS}}<ul class="settings-links">
{{#PRODUCT}}<li><a href="{{SETTINGS_HREF}}">{{S_settings_title}}: {{PROVIDER}} {{NAME}}</a></li>
{{/PRODUCT}}</ul>
{{/SETTINGS_LINKS}}<div class="guide-body" lang="{{CONTENT_LANG}}">
{{BODY:none}}</div>
{{#DOWNLOADS}}<section class="downloads" aria-labelledby="mg-downloads">
<h2 id="mg-downloads">{{S_downloads_title}}</h2>
<p>{{S_downloads_intro}}</p>
{{#PRODUCT}}<h3>{{PROVIDER}} {{NAME}}</h3>
<ul>
{{#FILE}}<li><a href="{{HREF}}" download>{{LABEL}}</a></li>
{{/FILE}}<li><a href="{{KIT_HREF}}" download>{{S_download_kit}}</a></li>
<li><a href="{{SETTINGS_HREF}}">{{S_settings_title}}</a></li>
</ul>
{{#MANUAL}}<p class="manual" role="note"><strong>{{DEVICE}}</strong>: {{TEXT}}</p>
{{/MANUAL}}{{#PERSONAL}}<form class="personalize" id="mg-personal-{{N}}" data-product="{{PRODUCT_ID}}" data-stencils="{{STENCILS}}" aria-labelledby="mg-personal-{{N}}-title" hidden novalidate>
<h4 id="mg-personal-{{N}}-title">{{S_personalize_title}}</h4>
<p>{{S_personalize_intro}}</p>
<p><label for="mg-personal-{{N}}-email">{{S_personalize_email}}</label>
<input type="email" id="mg-personal-{{N}}-email" name="email" autocomplete="email" spellcheck="false" required aria-describedby="mg-personal-{{N}}-error"></p>
{{#NAME_FIELD}}<p><label for="mg-personal-{{N}}-name">{{S_personalize_name}}</label>
<input type="text" id="mg-personal-{{N}}-name" name="name" autocomplete="name"></p>
{{/NAME_FIELD}}<p class="personalize-error" id="mg-personal-{{N}}-error" role="alert"></p>
<ul class="personalize-buttons">
{{#PFILE}}<li><button type="submit" name="file" value="{{CLIENT}}">{{LABEL}}</button></li>
{{/PFILE}}</ul>
<p class="personalize-status" role="status"></p>
</form>
{{/PERSONAL}}{{/PRODUCT}}</section>
{{/DOWNLOADS}}{{/GUIDE}}</main>
<footer class="site"><p><a href="{{HOME}}">{{SITE_TITLE}}</a></p></footer>
{{#GUIDE}}{{#DOWNLOADS}}{{!
  What each download box's form fills in with the reader's address: the
  product's stencils in the page's locale, one script shared by all its
  pages (site.c S_personal_script, personal.js.tpl), which personalize.js
  finds under the form's data-stencils. Out of <main>, after the content.
}}{{#PRODUCT}}{{#PERSONAL}}<script src="{{STENCILS_HREF}}"></script>
{{/PERSONAL}}{{/PRODUCT}}{{#PERSONALIZE_JS}}<script src="{{HREF}}"></script>
{{/PERSONALIZE_JS}}{{/DOWNLOADS}}{{/GUIDE}}</body>
</html>
