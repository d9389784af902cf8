{{%AUTOESCAPE context="XML"}}<?xml version="1.0" encoding="UTF-8"?>
{{!
  Mail on a Mac: a window with three coloured buttons in its title bar,
  labels right-aligned left of the boxes, a blue default button.
  Drawn for mailguide, not copied: src/illust.c lays out the widgets.
}}<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="d-{{DIALOG}}" viewBox="0 0 {{WIDTH}} {{HEIGHT}}" width="{{WIDTH}}" height="{{HEIGHT}}" xml:lang="{{LANG}}">
<title>{{TITLE}}</title>
<desc>{{DESC}}</desc>
<style>
text { font-family: -apple-system, system-ui, "Helvetica Neue", sans-serif; font-size: 13px; fill: #1d1d1f; }
.bg { fill: #ececec; stroke: #b5b5b5; }
.bar { fill: #e3e3e3; }
.title { font-size: 13px; font-weight: 600; }
.close { fill: #ff5f57; } .min { fill: #febc2e; } .max { fill: #28c840; }
.heading { font-weight: 700; }
.box { fill: #ffffff; stroke: #c8c8c8; }
.chevron { fill: none; stroke: #1d1d1f; stroke-width: 1.5; }
.check { fill: #ffffff; stroke: #b0b0b0; }
.check.on { fill: #007aff; stroke: #007aff; }
.tick { fill: none; stroke: #ffffff; stroke-width: 2; }
.choice { fill: transparent; }
.choice.on { fill: #d6e6fb; }
.choice-chevron, .sep { display: none; }
.text { fill: #4a4a4a; }
.button { fill: #ffffff; stroke: #c8c8c8; }
.button.default { fill: #007aff; stroke: #007aff; }
.button-text.default { fill: #ffffff; }
@media (prefers-color-scheme: dark) {
  text { fill: #f5f5f7; }
  .bg { fill: #2d2d2d; stroke: #4a4a4a; }
  .bar { fill: #3a3a3a; }
  .box, .check { fill: #1e1e1e; stroke: #5a5a5a; }
  .chevron { stroke: #f5f5f7; }
  .choice.on { fill: #1f4a80; }
  .text { fill: #c8c8c8; }
  .button { fill: #5a5a5a; stroke: #5a5a5a; }
}
</style>
<rect class="bg" x="0.5" y="0.5" width="{{WIDTH}}" height="{{HEIGHT}}" rx="10"/>
<path class="bar" d="M0.5 40V10.5a10 10 0 0 1 10-10H{{RIGHT}}h{{PAD}}v39.5z"/>
<circle class="close" cx="20" cy="20" r="6"/><circle class="min" cx="40" cy="20" r="6"/><circle class="max" cx="60" cy="20" r="6"/>
<text class="title" x="{{MID}}" y="25" text-anchor="middle">{{TITLE}}</text>
{{>WIDGETS}}</svg>
