{{%AUTOESCAPE context="HTML"}}<div class="table-wrap" role="region" aria-label="{{PROVIDER}} {{NAME}}" tabindex="0">
<table class="servers">
<caption>{{PROVIDER}} {{NAME}}</caption>
<thead><tr><th scope="col">{{S_col_direction}}</th><th scope="col">{{S_col_protocol}}</th><th scope="col">{{S_col_server}}</th><th scope="col">{{S_col_port}}</th><th scope="col">{{S_col_security}}</th><th scope="col">{{S_col_auth}}</th><th scope="col">{{S_col_login}}</th></tr></thead>
<tbody>
{{#SERVER}}<tr><th scope="row">{{DIRECTION}}{{#PREFERRED}} <span class="badge">{{S_preferred}}</span>{{/PREFERRED}}</th><td data-label="{{S_col_protocol}}">{{PROTOCOL}}</td><td data-label="{{S_col_server}}"><code>{{HOST}}</code></td><td data-label="{{S_col_port}}">{{PORT}}</td><td data-label="{{S_col_security}}">{{SECURITY}}</td><td data-label="{{S_col_auth}}">{{AUTH}}</td><td data-label="{{S_col_login}}">{{LOGIN}}</td></tr>
{{/SERVER}}</tbody>
</table>
</div>
