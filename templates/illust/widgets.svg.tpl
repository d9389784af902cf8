{{%AUTOESCAPE context="XML"}}{{!
  The widgets of one drawn dialog (src/illust.c lays them out; every
  coordinate comes from there). The client's template (illust/<client>.svg.tpl)
  gives the classes their look.
}}{{#W}}{{#HEADING}}<text class="heading" x="{{X}}" y="{{LY}}">{{LABEL}}</text>
{{/HEADING}}{{#FIELD}}<text class="label" x="{{LX}}" y="{{LY}}" text-anchor="{{LANCHOR}}">{{LABEL}}</text>
<rect class="box" x="{{BX}}" y="{{BY}}" width="{{BW}}" height="{{BH}}" rx="{{RX}}"/>
<text class="value" x="{{VX}}" y="{{VY}}">{{VALUE}}</text>
{{#CHEVRON}}<path class="chevron" d="M{{CX}} {{CY}}l5 5 5-5"/>
{{/CHEVRON}}{{/FIELD}}{{#ROW}}<rect class="rows" x="{{X}}" y="{{Y}}" width="{{W}}" height="{{H}}"/>
<text class="label" x="{{LX}}" y="{{LY}}">{{LABEL}}</text>
<text class="value" x="{{VX}}" y="{{VY}}">{{VALUE}}</text>
<line class="sep" x1="{{X}}" y1="{{SEPY}}" x2="{{RIGHT}}" y2="{{SEPY}}"/>
{{/ROW}}{{#CHECK}}<rect class="check{{#ON}} on{{/ON}}" x="{{BX}}" y="{{BY}}" width="15" height="15" rx="{{RX}}"/>
{{#ON}}<path class="tick" transform="translate({{BX}} {{BY}})" d="M3.5 7.5l3 3 5-6.5"/>
{{/ON}}<text class="label" x="{{LX}}" y="{{LY}}">{{LABEL}}</text>
{{/CHECK}}{{#SWITCH}}<rect class="rows" x="{{X}}" y="{{Y}}" width="{{W}}" height="{{H}}"/>
<text class="label" x="{{LX}}" y="{{LY}}">{{LABEL}}</text>
<rect class="switch{{#ON}} on{{/ON}}" x="{{SWX}}" y="{{BY}}" width="51" height="31" rx="15.5"/>
<circle class="knob" cx="{{KX}}" cy="{{KY}}" r="13.5"/>
<line class="sep" x1="{{X}}" y1="{{SEPY}}" x2="{{RIGHT}}" y2="{{SEPY}}"/>
{{/SWITCH}}{{#CHOICE}}<rect class="choice{{#ON}} on{{/ON}}" x="{{X}}" y="{{Y}}" width="{{W}}" height="{{H}}" rx="{{RX}}"/>
<text class="choice-text{{#ON}} on{{/ON}}" x="{{X}}" dx="14" y="{{LY}}">{{LABEL}}</text>
<path class="chevron choice-chevron" d="M{{CX}} {{CY}}l5 5-5 5"/>
<line class="sep" x1="{{X}}" y1="{{SEPY}}" x2="{{RIGHT}}" y2="{{SEPY}}"/>
{{/CHOICE}}{{#SEGMENT_IMAP}}<rect class="seg" x="{{X}}" y="{{Y}}" width="{{W}}" height="32" rx="8"/>
<rect class="seg on" x="{{X}}" y="{{Y}}" width="{{HALF}}" height="32" rx="8"/>
<text class="seg-text on" x="{{T1}}" y="{{LY}}" text-anchor="middle">IMAP</text>
<text class="seg-text" x="{{T2}}" y="{{LY}}" text-anchor="middle">POP</text>
{{/SEGMENT_IMAP}}{{#SEGMENT_POP}}<rect class="seg" x="{{X}}" y="{{Y}}" width="{{W}}" height="32" rx="8"/>
<rect class="seg on" x="{{MID}}" y="{{Y}}" width="{{HALF}}" height="32" rx="8"/>
<text class="seg-text" x="{{T1}}" y="{{LY}}" text-anchor="middle">IMAP</text>
<text class="seg-text on" x="{{T2}}" y="{{LY}}" text-anchor="middle">POP</text>
{{/SEGMENT_POP}}{{#LINK}}<text class="link" x="{{X}}" y="{{LY}}">{{LABEL}}</text>
{{/LINK}}{{#TEXT}}<text class="text" x="{{X}}" y="{{LY}}">{{LABEL}}</text>
{{/TEXT}}{{#BUTTON}}<rect class="button{{#DEFAULT}} default{{/DEFAULT}}" x="{{X}}" y="{{Y}}" width="{{W}}" height="{{H}}" rx="{{RX}}"/>
<text class="button-text{{#DEFAULT}} default{{/DEFAULT}}" x="{{TX}}" y="{{TY}}" text-anchor="middle">{{LABEL}}</text>
{{/BUTTON}}{{#NAV}}<text class="nav{{#DEFAULT}} default{{/DEFAULT}}" x="{{NX}}" y="{{TY}}" text-anchor="{{#DEFAULT}}end{{/DEFAULT}}{{#OFF}}start{{/OFF}}">{{LABEL}}</text>
{{/NAV}}{{/W}}
