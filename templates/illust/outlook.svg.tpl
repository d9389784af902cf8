{{%AUTOESCAPE context="XML"}}<?xml version="1.0" encoding="UTF-8"?>
{{!
  Outlook for Windows: a white dialog, a large light title under a blue
  band, labels above underlined boxes, a blue default button.
  Drawn for mailguide, not copied: src/illust.c lays out the widgets.
}}<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="d-{{DIALOG}}" viewBox="0 0 {{WIDTH}} {{HEIGHT}}" width="{{WIDTH}}" height="{{HEIGHT}}" xml:lang="{{LANG}}">
<title>{{TITLE}}</title>
<desc>{{DESC}}</desc>
<style>
text { font-family: "Segoe UI", system-ui, sans-serif; font-size: 14px; fill: #242424; }
.bg { fill: #ffffff; stroke: #c8c8c8; }
.band { fill: #0f6cbd; }
.title { font-size: 24px; font-weight: 300; }
.heading { font-size: 15px; font-weight: 600; }
.box { fill: #ffffff; stroke: #8a8a8a; }
.chevron { fill: none; stroke: #424242; stroke-width: 1.5; }
.check { fill: #ffffff; stroke: #616161; }
.check.on { fill: #0f6cbd; stroke: #0f6cbd; }
.tick { fill: none; stroke: #ffffff; stroke-width: 2; }
.choice { fill: #ffffff; stroke: #d1d1d1; }
.choice.on { fill: #ebf3fc; stroke: #0f6cbd; stroke-width: 2; }
.choice-chevron, .sep { display: none; }
.link { fill: #0f6cbd; }
.text { fill: #424242; }
.button { fill: #ffffff; stroke: #d1d1d1; }
.button.default { fill: #0f6cbd; stroke: #0f6cbd; }
.button-text.default { fill: #ffffff; font-weight: 600; }
@media (prefers-color-scheme: dark) {
  text { fill: #ffffff; }
  .bg { fill: #292929; stroke: #4d4d4d; }
  .box, .check, .choice, .button { fill: #1f1f1f; stroke: #666666; }
  .check.on, .button.default { fill: #479ef5; stroke: #479ef5; }
  .choice.on { fill: #0e2b4a; stroke: #479ef5; }
  .chevron { stroke: #ffffff; }
  .link { fill: #479ef5; }
  .text { fill: #d6d6d6; }
}
</style>
<rect class="bg" x="0.5" y="0.5" width="{{WIDTH}}" height="{{HEIGHT}}"/>
<rect class="band" x="0" y="0" width="{{WIDTH}}" height="6"/>
<text class="title" x="{{PAD}}" y="48">{{TITLE}}</text>
{{>WIDGETS}}</svg>
