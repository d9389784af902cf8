{{%AUTOESCAPE context="HTML"}}<!DOCTYPE html>
<html lang="{{LANG}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{S_kit_title}}: {{PROVIDER}} {{PRODUCT}}</title>
<meta name="description" content="{{S_kit_intro}}">
<link rel="icon" href="data:,">
<style>
body { margin: 0 auto; max-width: 48rem; padding: 1rem; font: 1rem/1.5 system-ui, sans-serif; color: #1d232b; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .5rem; border-bottom: 1px solid #d5dae0; }
code { overflow-wrap: anywhere; }
h1 { overflow-wrap: break-word; hyphens: auto; }
@media (max-width: 40rem) { thead { display: none; } tr, th, td { display: block; border: 0; padding: .15rem 0; } tr { border-bottom: 2px solid #d5dae0; padding: .5rem 0; } }
</style>
</head>
<body>
<main>
<h1>{{S_kit_title}}: {{PROVIDER}} {{PRODUCT}}</h1>
<p>{{S_kit_intro}}</p>
<table>
<thead><tr><th scope="col">{{S_kit_col_file}}</th><th scope="col">{{S_kit_col_device}}</th><th scope="col">{{S_kit_col_how}}</th></tr></thead>
<tbody>
{{#FILE}}<tr><th scope="row">{{#LINK}}<a href="{{HREF}}" download><code>{{NAME}}</code></a>{{/LINK}}{{#MANUAL}}{{S_manual_file}}{{/MANUAL}}</th><td>{{DEVICE}}</td><td>{{HOW}}</td></tr>
{{/FILE}}</tbody>
</table>
<p>{{S_kit_password}}</p>
</main>
</body>
</html>
