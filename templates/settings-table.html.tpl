{{%AUTOESCAPE context="HTML"}}<div class="table-wrap">
<table class="servers">
<caption>{{PROVIDER}} {{NAME}}</caption>
<thead><tr><th scope="col">{{S_col_direction}}</th><th scope="col">{{S_col_protocol}}</th><th scope="col">{{S_col_server}}</th><th scope="col">{{S_col_port}}</th><th scope="col">{{S_col_security}}</th><th scope="col">{{S_col_auth}}</th><th scope="col">{{S_col_login}}</th></tr></thead>
<tbody>
{{#SERVER}}<tr><th scope="row">{{DIRECTION}}{{#PREFERRED}} <span class="badge">{{S_preferred}}</span>{{/PREFERRED}}</th><td>{{PROTOCOL}}</td><td><code>{{HOST}}</code></td><td>{{PORT}}</td><td>{{SECURITY}}</td><td>{{AUTH}}</td><td>{{LOGIN}}</td></tr>
{{/SERVER}}</tbody>
</table>
</div>
