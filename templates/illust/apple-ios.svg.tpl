{{%AUTOESCAPE context="XML"}}<?xml version="1.0" encoding="UTF-8"?>
{{!
  Mail on iPhone and iPad: a settings screen, a bar with the title and two
  text buttons, grouped white rows on grey, switches instead of check boxes.
  Drawn for mailguide, not copied: src/illust.c lays out the widgets.
}}<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="d-{{DIALOG}}" viewBox="0 0 {{WIDTH}} {{HEIGHT}}" width="{{WIDTH}}" height="{{HEIGHT}}" xml:lang="{{LANG}}">
<title>{{TITLE}}</title>
<desc>{{DESC}}</desc>
<style>
text { font-family: -apple-system, system-ui, "Helvetica Neue", sans-serif; font-size: 15px; fill: #000000; }
.bg { fill: #f2f2f7; }
.bar { fill: #f9f9f9; }
.bar-line, .sep { stroke: #c6c6c8; stroke-width: 0.5; }
.title { font-size: 17px; font-weight: 600; }
.status { font-size: 14px; font-weight: 600; }
.nav { fill: #007aff; font-size: 17px; }
.nav.default { font-weight: 600; }
.heading { font-size: 12px; fill: #6d6d72; }
.value { fill: #3c3c43; }
.rows { fill: #ffffff; }
.switch { fill: #e9e9eb; }
.switch.on { fill: #34c759; }
.knob { fill: #ffffff; stroke: #d1d1d6; stroke-width: 0.5; }
.choice { fill: #ffffff; }
.choice-text { fill: #000000; }
.choice.on { fill: #e5e5ea; }
.chevron { fill: none; stroke: #c4c4c7; stroke-width: 2; }
.seg { fill: #e3e3e8; }
.seg.on { fill: #ffffff; stroke: #d1d1d6; }
.seg-text { font-size: 13px; font-weight: 600; }
@media (prefers-color-scheme: dark) {
  text, .choice-text { fill: #ffffff; }
  .bg { fill: #000000; }
  .bar { fill: #1c1c1e; }
  .rows, .choice { fill: #1c1c1e; }
  .choice.on { fill: #3a3a3c; }
  .value { fill: #ebebf5; }
  .heading { fill: #8d8d93; }
  .nav { fill: #0a84ff; }
  .bar-line, .sep { stroke: #38383a; }
  .switch { fill: #39393d; }
  .seg { fill: #2c2c2e; }
  .seg.on { fill: #636366; stroke: #636366; }
}
</style>
<rect class="bg" x="0" y="0" width="{{WIDTH}}" height="{{HEIGHT}}"/>
<rect class="bar" x="0" y="0" width="{{WIDTH}}" height="96"/>
<line class="bar-line" x1="0" y1="96" x2="{{WIDTH}}" y2="96"/>
<text class="status" x="{{PAD}}" dx="12" y="20">9:41</text>
<text class="title" x="{{MID}}" y="82" text-anchor="middle">{{TITLE}}</text>
{{>WIDGETS}}</svg>
