{{%AUTOESCAPE context="HTML"}}<!DOCTYPE html>
<html lang="{{LANG}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{S_kit_title}}: {{PROVIDER}} {{PRODUCT}}</title>
<meta name="description" content="{{S_kit_intro}}">
<link rel="icon" href="data:,">
{{!
  The page travels inside the kit's zip: it carries the site's stylesheet,
  and its links to the site are absolute (base_url).
}}<style>
{{>STYLE}}</style>
</head>
<body>
<a class="skip" href="#mg-main">{{S_skip_to_content}}</a>
<header class="site">
<a class="home" href="{{HOME}}">{{SITE_TITLE}}</a>
</header>
<nav class="breadcrumbs" aria-label="{{S_breadcrumbs}}"><ol>
<li><a href="{{HOME}}">{{S_home}}</a></li>
<li><span aria-current="page">{{S_kit_title}}</span></li>
</ol></nav>
<main id="mg-main" class="kit">
<h1>{{S_kit_title}}: {{PROVIDER}} {{PRODUCT}}</h1>
<p>{{S_kit_intro}}</p>
<table class="kit-files">
<thead><tr><th scope="col">{{S_kit_col_file}}</th><th scope="col">{{S_kit_col_device}}</th><th scope="col">{{S_kit_col_how}}</th></tr></thead>
<tbody>
{{#FILE}}<tr><th scope="row">{{#LINK}}<a href="{{HREF}}" download><code>{{NAME}}</code></a>{{/LINK}}{{#MANUAL}}{{S_manual_file}}{{/MANUAL}}</th><td>{{DEVICE}}</td><td>{{HOW}}{{>QR}}</td></tr>
{{/FILE}}</tbody>
</table>
<p>{{S_kit_password}}</p>
<p><a href="{{HOME}}">{{S_kit_back}}</a></p>
</main>
<footer class="site"><p><a href="{{HOME}}">{{SITE_TITLE}}</a></p></footer>
</body>
</html>
