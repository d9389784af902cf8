{{%AUTOESCAPE context="XML"}}<?xml version="1.0" encoding="UTF-8"?>
{{!
  Thunderbird autoconfig (clientConfig 1.1): every server of the product in
  order of preference. Thunderbird drops an entry whose values are not in its
  lists, so socketType is exactly SSL, STARTTLS or plain and authentication
  uses its names (profiles.c maps them). A generic file says %EMAILADDRESS%
  or %EMAILLOCALPART% where a personalized one has the login itself.
  Beyond the servers, what the table gives: its displayName, documentation
  links (before the settings pages'), POP3 defaults, and after the provider
  the webmail page and the OAuth2 settings (children of clientConfig).
}}<clientConfig version="1.1">
	<emailProvider id="{{PROVIDER_ID}}">
{{#DOMAIN}}		<domain>{{NAME}}</domain>
{{/DOMAIN}}		<displayName>{{DISPLAY_NAME}}</displayName>
		<displayShortName>{{SHORT_NAME}}</displayShortName>
{{#INCOMING}}		<incomingServer type="{{TYPE}}">
			<hostname>{{HOST}}</hostname>
			<port>{{PORT}}</port>
			<socketType>{{SOCKET}}</socketType>
{{#AUTH}}			<authentication>{{NAME}}</authentication>
{{/AUTH}}			<username>{{LOGIN}}</username>
{{#POP3}}			<pop3>
{{#LEAVE}}				<leaveMessagesOnServer>{{VALUE}}</leaveMessagesOnServer>
{{/LEAVE}}{{#DAYS}}				<daysToLeaveMessagesOnServer>{{VALUE}}</daysToLeaveMessagesOnServer>
{{/DAYS}}{{#BIFF}}				<downloadOnBiff>{{VALUE}}</downloadOnBiff>
{{/BIFF}}			</pop3>
{{/POP3}}		</incomingServer>
{{/INCOMING}}{{#OUTGOING}}		<outgoingServer type="smtp">
			<hostname>{{HOST}}</hostname>
			<port>{{PORT}}</port>
			<socketType>{{SOCKET}}</socketType>
{{#AUTH}}			<authentication>{{NAME}}</authentication>
{{/AUTH}}{{#HAS_LOGIN}}			<username>{{LOGIN}}</username>
{{/HAS_LOGIN}}		</outgoingServer>
{{/OUTGOING}}{{#TDOC}}		<documentation url="{{URL}}">
{{#DESCR}}			<descr lang="{{LANG}}">{{TEXT}}</descr>
{{/DESCR}}		</documentation>
{{/TDOC}}{{#DOC}}		<documentation url="{{URL}}">
			<descr lang="{{LANG}}">{{TEXT}}</descr>
		</documentation>
{{/DOC}}	</emailProvider>
{{#WEBMAIL}}	<webMail>
		<loginPage url="{{URL}}"/>
	</webMail>
{{/WEBMAIL}}{{#OAUTH2}}	<oAuth2>
		<issuer>{{ISSUER}}</issuer>
		<scope>{{SCOPE}}</scope>
		<authURL>{{AUTH_URL}}</authURL>
		<tokenURL>{{TOKEN_URL}}</tokenURL>
	</oAuth2>
{{/OAUTH2}}</clientConfig>
