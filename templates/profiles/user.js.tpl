{{%AUTOESCAPE context="JAVASCRIPT"}}// Thunderbird preferences for one mail account, written by mailguide.
//
// To install: close Thunderbird, save this file as user.js in your Thunderbird
// profile folder (Help, Troubleshooting Information, Profile Folder), start
// Thunderbird once and close it, then delete user.js. Thunderbird keeps the
// settings in prefs.js; a user.js left in place would reset them at every start.
//
// Every key below ends in a name made from the product, never the account1,
// server1, id1, smtp1 that Thunderbird numbers its own accounts with, so no
// existing account is changed. The account joins the list through
// mail.accountmanager.appendaccounts, which Thunderbird merges into its own
// list once at start, keeping the accounts already there.
// Outgoing servers have no such merge: mail.smtpservers is one list, and the
// line setting it replaces it. In a profile that already has outgoing servers,
// add their keys in front (see mail.smtpservers in prefs.js), separated by
// commas, or use the autoconfig file with the account wizard instead.
{{#GENERIC}}//
// This file does not know your address: after the first start, open Account
// Settings and enter your email address and your user name on the server.
{{/GENERIC}}
user_pref("mail.account.{{KEY:x-js-string}}.server", "{{KEY:x-js-string}}");
user_pref("mail.account.{{KEY:x-js-string}}.identities", "{{KEY:x-js-string}}");
user_pref("mail.accountmanager.appendaccounts", "{{KEY:x-js-string}}");

user_pref("mail.server.{{KEY:x-js-string}}.type", "{{IN_TYPE:x-js-string}}");
user_pref("mail.server.{{KEY:x-js-string}}.name", "{{ACCOUNT_NAME:x-js-string}}");
user_pref("mail.server.{{KEY:x-js-string}}.hostname", "{{IN_HOST:x-js-string}}");
user_pref("mail.server.{{KEY:x-js-string}}.port", {{IN_PORT}});
user_pref("mail.server.{{KEY:x-js-string}}.socketType", {{IN_SOCKET}});
user_pref("mail.server.{{KEY:x-js-string}}.authMethod", {{IN_AUTH}});
{{#IDENTITY}}user_pref("mail.server.{{KEY:x-js-string}}.userName", "{{IN_LOGIN:x-js-string}}");
{{/IDENTITY}}user_pref("mail.server.{{KEY:x-js-string}}.login_at_startup", true);
{{#POP3}}{{#LEAVE}}user_pref("mail.server.{{KEY:x-js-string}}.leave_on_server", {{VALUE}});
{{/LEAVE}}{{#DAYS}}user_pref("mail.server.{{KEY:x-js-string}}.delete_by_age_from_server", true);
user_pref("mail.server.{{KEY:x-js-string}}.num_days_to_leave_on_server", {{VALUE}});
{{/DAYS}}{{#BIFF}}user_pref("mail.server.{{KEY:x-js-string}}.download_on_biff", {{VALUE}});
{{/BIFF}}{{/POP3}}

{{#IDENTITY}}user_pref("mail.identity.{{KEY:x-js-string}}.useremail", "{{EMAIL:x-js-string}}");
{{#FULL_NAME}}user_pref("mail.identity.{{KEY:x-js-string}}.fullName", "{{NAME:x-js-string}}");
{{/FULL_NAME}}{{/IDENTITY}}user_pref("mail.identity.{{KEY:x-js-string}}.smtpServer", "{{KEY:x-js-string}}");
user_pref("mail.identity.{{KEY:x-js-string}}.valid", true);

user_pref("mail.smtpserver.{{KEY:x-js-string}}.type", "smtp");
user_pref("mail.smtpserver.{{KEY:x-js-string}}.description", "{{ACCOUNT_NAME:x-js-string}}");
user_pref("mail.smtpserver.{{KEY:x-js-string}}.hostname", "{{OUT_HOST:x-js-string}}");
user_pref("mail.smtpserver.{{KEY:x-js-string}}.port", {{OUT_PORT}});
user_pref("mail.smtpserver.{{KEY:x-js-string}}.try_ssl", {{OUT_SOCKET}});
user_pref("mail.smtpserver.{{KEY:x-js-string}}.authMethod", {{OUT_AUTH}});
{{#OUT_IDENTITY}}user_pref("mail.smtpserver.{{KEY:x-js-string}}.username", "{{OUT_LOGIN:x-js-string}}");
{{/OUT_IDENTITY}}user_pref("mail.smtpservers", "{{KEY:x-js-string}}");
