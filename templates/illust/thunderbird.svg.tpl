{{%AUTOESCAPE context="XML"}}<?xml version="1.0" encoding="UTF-8"?>
{{!
  Thunderbird: a light window with a title bar, labels right-aligned left
  of rounded boxes, headings in small capitals, a blue default button.
  Drawn for mailguide, not copied: src/illust.c lays out the widgets.
}}<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="d-{{DIALOG}}" viewBox="0 0 {{WIDTH}} {{HEIGHT}}" width="{{WIDTH}}" height="{{HEIGHT}}" xml:lang="{{LANG}}">
<title>{{TITLE}}</title>
<desc>{{DESC}}</desc>
<style>
text { font-family: system-ui, "Segoe UI", Cantarell, sans-serif; font-size: 13px; fill: #15141a; }
.bg { fill: #f9f9fb; stroke: #8f8f9d; }
.bar { fill: #e0e0e6; }
.title { font-size: 13px; font-weight: 600; }
.close { fill: none; stroke: #15141a; stroke-width: 1.5; }
.heading { font-size: 11px; font-weight: 700; letter-spacing: 1px; fill: #5b5b66; }
.box { fill: #ffffff; stroke: #8f8f9d; }
.chevron { fill: none; stroke: #15141a; stroke-width: 1.5; }
.check { fill: #ffffff; stroke: #8f8f9d; }
.check.on { fill: #0061e0; stroke: #0061e0; }
.tick { fill: none; stroke: #ffffff; stroke-width: 2; }
.choice, .choice-chevron, .sep { display: none; }
.link { fill: #0061e0; }
.text { fill: #5b5b66; }
.button { fill: #e5e5ea; stroke: #c4c4cc; }
.button.default { fill: #0061e0; stroke: #0061e0; }
.button-text.default { fill: #ffffff; font-weight: 600; }
@media (prefers-color-scheme: dark) {
  text { fill: #fbfbfe; }
  .bg { fill: #2b2a33; stroke: #5b5b66; }
  .bar { fill: #1c1b22; }
  .close, .chevron { stroke: #fbfbfe; }
  .heading, .text { fill: #bfbfc9; }
  .box, .check { fill: #42414d; stroke: #8f8f9d; }
  .button { fill: #52525e; stroke: #52525e; }
  .button.default { fill: #0df; stroke: #0df; }
  .button-text.default { fill: #15141a; }
  .link { fill: #0df; }
}
</style>
<rect class="bg" x="0.5" y="0.5" width="{{WIDTH}}" height="{{HEIGHT}}" rx="6"/>
<path class="bar" d="M0.5 44V6.5a6 6 0 0 1 6-6H{{RIGHT}}h{{PAD}}v43.5z" transform="translate(0 0)"/>
<text class="title" x="{{MID}}" y="27" text-anchor="middle">{{TITLE}}</text>
<path class="close" d="M{{RIGHT}} 17l10 10m0-10l-10 10" transform="translate(-10 0)"/>
{{>WIDGETS}}</svg>
