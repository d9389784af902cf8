{{%AUTOESCAPE context="JAVASCRIPT"}}{{!
  profiles/<product>/personal-<locale>.js (site.c S_personal_script): what
  the download box's form on every guide page of one product in one locale
  fills in with the reader's address. The pages load it before
  assets/personalize.js, which finds it under the form's data-stencils.
  Each file as mailguide renders it for a stand-in reader: text without a
  name, named with one ("" for a format without a name). Every value is
  escaped by ctemplate as a JavaScript string or literal.
}}(self.mailguideStencils = self.mailguideStencils || {})["{{KEY}}"] = {
anyDomain: {{ANY_DOMAIN}}, domains: [{{#DOMAIN}}"{{NAME}}"{{#DOMAIN_separator}}, {{/DOMAIN_separator}}{{/DOMAIN}}], uuidPrefix: "{{UUID_PREFIX}}",
invalid: "{{INVALID}}", otherDomain: "{{OTHER_DOMAIN}}", saved: "{{SAVED}}",
files: [{{#PFILE}}{client: "{{CLIENT}}", file: "{{FILE}}", type: "{{TYPE}}",
text: "{{TEXT}}",
named: "{{NAMED}}"}{{#PFILE_separator}}, {{/PFILE_separator}}{{/PFILE}}]};
