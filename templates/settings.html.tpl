{{%AUTOESCAPE context="HTML"}}<!DOCTYPE html>
<html lang="{{LANG}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{S_settings_title}} · {{SITE_TITLE}}</title>
<link rel="stylesheet" href="{{ROOT}}assets/style.css">
</head>
<body>
<header class="site">
<a class="home" href="{{ROOT}}index.html">{{SITE_TITLE}}</a>
<nav class="languages" aria-label="{{S_choose_language}}"><ul>
{{#LOCALE}}<li><a href="{{HREF}}" hreflang="{{HREFLANG}}" lang="{{HREFLANG}}"{{#CURRENT}} aria-current="page"{{/CURRENT}}>{{NAME}}</a></li>
{{/LOCALE}}</ul></nav>
</header>
<main>
<h1>{{S_settings_title}}</h1>
<p>{{S_settings_intro}}</p>
{{#PRODUCT}}
<section id="{{ID}}">
<table class="servers">
<caption>{{PROVIDER}} {{NAME}}</caption>
<thead><tr><th scope="col">{{S_col_direction}}</th><th scope="col">{{S_col_protocol}}</th><th scope="col">{{S_col_server}}</th><th scope="col">{{S_col_port}}</th><th scope="col">{{S_col_security}}</th><th scope="col">{{S_col_auth}}</th><th scope="col">{{S_col_login}}</th></tr></thead>
<tbody>
{{#SERVER}}<tr><th scope="row">{{DIRECTION}}{{#PREFERRED}} <span class="badge">{{S_preferred}}</span>{{/PREFERRED}}</th><td>{{PROTOCOL}}</td><td><code>{{HOST}}</code></td><td>{{PORT}}</td><td>{{SECURITY}}</td><td>{{AUTH}}</td><td>{{LOGIN}}</td></tr>
{{/SERVER}}</tbody>
</table>
</section>
{{/PRODUCT}}
</main>
</body>
</html>
