// Thunderbird user.js: adds the "Tom & Jerry's Mail" account (sample for the validators).
/* Key ids are specific so that existing account1/server1/id1/smtp1 keys stay untouched. */
user_pref("mail.account.account_mg_mxplan.server", "server_mg_mxplan_imap");
user_pref("mail.account.account_mg_mxplan.identities", "id_mg_mxplan");
user_pref("mail.server.server_mg_mxplan_imap.type", "imap");
user_pref("mail.server.server_mg_mxplan_imap.hostname", "ssl0." + "ovh.net");
user_pref("mail.server.server_mg_mxplan_imap.port", 993);
user_pref("mail.server.server_mg_mxplan_imap.socketType", 3);
user_pref("mail.server.server_mg_mxplan_imap.authMethod", 3);
user_pref("mail.server.server_mg_mxplan_imap.userName", "jane.doe@example.com");
user_pref("mail.server.server_mg_mxplan_imap.name", "Tom & Jerry's \"Mail\" <x>");
user_pref("mail.server.server_mg_mxplan_imap.login_at_startup", true);
user_pref("mail.identity.id_mg_mxplan.useremail", "jane.doe@example.com");
user_pref("mail.identity.id_mg_mxplan.fullName", 'Jane \'JD\' Doe');
user_pref("mail.identity.id_mg_mxplan.smtpServer", "smtp_mg_mxplan");
user_pref("mail.identity.id_mg_mxplan.valid", true);
user_pref("mail.smtpserver.smtp_mg_mxplan.hostname", "ssl0.ovh.net");
user_pref("mail.smtpserver.smtp_mg_mxplan.port", 587);
user_pref("mail.smtpserver.smtp_mg_mxplan.try_ssl", 2);
user_pref("mail.smtpserver.smtp_mg_mxplan.authMethod", 3);
user_pref("mail.smtpserver.smtp_mg_mxplan.username", "jane.doe@example.com");
user_pref("mail.smtpserver.smtp_mg_mxplan.description", "Tom & Jerry's \"Mail\" <x>");
