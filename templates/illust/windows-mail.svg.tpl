{{%AUTOESCAPE context="XML"}}<?xml version="1.0" encoding="UTF-8"?>
{{!
  Windows 8 and 8.1 Mail: a settings flyout at the right of the screen,
  flat, with the app's colour in its header, labels above square boxes.
  Drawn for mailguide, not copied: src/illust.c lays out the widgets.
}}<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="d-{{DIALOG}}" viewBox="0 0 {{WIDTH}} {{HEIGHT}}" width="{{WIDTH}}" height="{{HEIGHT}}" xml:lang="{{LANG}}">
<title>{{TITLE}}</title>
<desc>{{DESC}}</desc>
<style>
text { font-family: "Segoe UI", system-ui, sans-serif; font-size: 14px; fill: #1f1f1f; }
.bg { fill: #ffffff; stroke: #a0a0a0; }
.header { fill: #0f4c81; }
.title { font-size: 22px; font-weight: 300; fill: #ffffff; }
.back { fill: none; stroke: #ffffff; stroke-width: 2; }
.box { fill: #ffffff; stroke: #9a9a9a; stroke-width: 2; }
.value { fill: #000000; }
.check { fill: #ffffff; stroke: #333333; stroke-width: 2; }
.tick { fill: none; stroke: #000000; stroke-width: 2.2; }
.choice { fill: transparent; }
.choice.on { fill: #dcdcdc; }
.choice-text { font-size: 16px; }
.choice-chevron, .sep { display: none; }
.link { fill: #0f4c81; text-decoration: underline; }
.text { fill: #555555; }
.button { fill: #e2e2e2; stroke: #8a8a8a; stroke-width: 2; }
.button.default { fill: #0f4c81; stroke: #0f4c81; }
.button-text.default { fill: #ffffff; }
.d-charms .bg { fill: #111111; stroke: #111111; }
.d-charms .header { fill: #111111; }
.d-charms .choice-text { fill: #ffffff; }
.d-charms .choice.on { fill: #3a3a3a; }
@media (prefers-color-scheme: dark) {
  text { fill: #f0f0f0; }
  .bg { fill: #1d1d1d; stroke: #555555; }
  .box, .check { fill: #2b2b2b; stroke: #aaaaaa; }
  .value { fill: #ffffff; }
  .tick { stroke: #ffffff; }
  .choice.on { fill: #444444; }
  .link { fill: #8cc4f0; }
  .text { fill: #c8c8c8; }
  .button { fill: #3a3a3a; stroke: #aaaaaa; }
}
</style>
<rect class="bg" x="0.5" y="0.5" width="{{WIDTH}}" height="{{HEIGHT}}"/>
<rect class="header" x="0" y="0" width="{{WIDTH}}" height="64"/>
<circle class="back" cx="{{PAD}}" cy="32" r="12" transform="translate(12 0)"/>
<path class="back" d="M{{PAD}} 32m17 0h-10m4-5l-5 5 5 5"/>
<text class="title" x="{{PAD}}" dx="34" y="40">{{TITLE}}</text>
{{>WIDGETS}}</svg>
