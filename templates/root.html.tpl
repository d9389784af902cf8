{{%AUTOESCAPE context="HTML"}}<!DOCTYPE html>
<html lang="{{LANG}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{SITE_TITLE}}</title>
<link rel="stylesheet" href="{{ROOT}}assets/style.css">
</head>
<body>
<main>
<h1>{{SITE_TITLE}}</h1>
<nav class="language-picker" aria-label="{{S_choose_language}}"><ul>
{{#LOCALE}}<li><a href="{{HREF}}" hreflang="{{HREFLANG}}" lang="{{HREFLANG}}">{{NAME}}</a></li>
{{/LOCALE}}</ul></nav>
</main>
</body>
</html>
