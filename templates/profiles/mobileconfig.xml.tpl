{{%AUTOESCAPE context="XML"}}<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
{{!
  An Apple configuration profile with one com.apple.mail.managed payload.
  The generic profile leaves out EmailAddress and the user names, so the
  device asks for them and one file serves every user; the IDENTITY section
  is shown only for a personalized profile (mailguide profile --email).
}}<plist version="1.0">
<dict>
	<key>PayloadContent</key>
	<array>
		<dict>
			<key>EmailAccountDescription</key>
			<string>{{ACCOUNT_DESCRIPTION}}</string>
{{#IDENTITY}}{{#FULL_NAME}}			<key>EmailAccountName</key>
			<string>{{NAME}}</string>
{{/FULL_NAME}}{{/IDENTITY}}			<key>EmailAccountType</key>
			<string>{{ACCOUNT_TYPE}}</string>
{{#IDENTITY}}			<key>EmailAddress</key>
			<string>{{EMAIL}}</string>
{{/IDENTITY}}			<key>IncomingMailServerAuthentication</key>
			<string>{{IN_AUTH}}</string>
			<key>IncomingMailServerHostName</key>
			<string>{{IN_HOST}}</string>
			<key>IncomingMailServerPortNumber</key>
			<integer>{{IN_PORT}}</integer>
			<key>IncomingMailServerUseSSL</key>
			{{#IN_SSL}}<true/>{{/IN_SSL}}{{#IN_PLAIN}}<false/>{{/IN_PLAIN}}
{{#IDENTITY}}			<key>IncomingMailServerUsername</key>
			<string>{{IN_LOGIN}}</string>
{{/IDENTITY}}			<key>OutgoingMailServerAuthentication</key>
			<string>{{OUT_AUTH}}</string>
			<key>OutgoingMailServerHostName</key>
			<string>{{OUT_HOST}}</string>
			<key>OutgoingMailServerPortNumber</key>
			<integer>{{OUT_PORT}}</integer>
			<key>OutgoingMailServerUseSSL</key>
			{{#OUT_SSL}}<true/>{{/OUT_SSL}}{{#OUT_PLAIN}}<false/>{{/OUT_PLAIN}}
{{#IDENTITY}}			<key>OutgoingMailServerUsername</key>
			<string>{{OUT_LOGIN}}</string>
{{/IDENTITY}}			<key>OutgoingPasswordSameAsIncomingPassword</key>
			<true/>
			<key>PayloadDescription</key>
			<string>{{PAYLOAD_DESCRIPTION}}</string>
			<key>PayloadDisplayName</key>
			<string>{{PAYLOAD_NAME}}</string>
			<key>PayloadIdentifier</key>
			<string>{{MAIL_IDENTIFIER}}</string>
			<key>PayloadType</key>
			<string>com.apple.mail.managed</string>
			<key>PayloadUUID</key>
			<string>{{MAIL_UUID}}</string>
			<key>PayloadVersion</key>
			<integer>1</integer>
		</dict>
	</array>
	<key>PayloadDescription</key>
	<string>{{DESCRIPTION}}</string>
	<key>PayloadDisplayName</key>
	<string>{{DISPLAY_NAME}}</string>
	<key>PayloadIdentifier</key>
	<string>{{IDENTIFIER}}</string>
	<key>PayloadOrganization</key>
	<string>{{ORGANIZATION}}</string>
	<key>PayloadRemovalDisallowed</key>
	<false/>
	<key>PayloadType</key>
	<string>Configuration</string>
	<key>PayloadUUID</key>
	<string>{{UUID}}</string>
	<key>PayloadVersion</key>
	<integer>1</integer>
</dict>
</plist>
