{{%AUTOESCAPE context="XML"}}<?xml version="1.0" encoding="UTF-8"?>
{{!
  Outlook's POX autodiscover response for IMAP/POP3/SMTP. Outlook uses one
  Protocol per Type, so profiles.c gives the preferred server of each
  protocol. SSL=on with Encryption=SSL is implicit TLS, SSL=on with
  Encryption=TLS is STARTTLS, SSL=off with Encryption=None is plain. SPA is
  NTLM; passwords go with SPA off.
}}<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
	<Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
{{#USER}}		<User>
{{#FULL_NAME}}			<DisplayName>{{NAME}}</DisplayName>
{{/FULL_NAME}}			<AutoDiscoverSMTPAddress>{{EMAIL}}</AutoDiscoverSMTPAddress>
		</User>
{{/USER}}		<Account>
			<AccountType>email</AccountType>
			<Action>settings</Action>
{{#PROTOCOL}}			<Protocol>
				<Type>{{TYPE}}</Type>
				<Server>{{HOST}}</Server>
				<Port>{{PORT}}</Port>
				<DomainRequired>off</DomainRequired>
{{#HAS_LOGIN}}				<LoginName>{{LOGIN}}</LoginName>
{{/HAS_LOGIN}}				<SPA>{{SPA}}</SPA>
				<SSL>{{SSL}}</SSL>
				<Encryption>{{ENCRYPTION}}</Encryption>
				<AuthRequired>{{AUTH_REQUIRED}}</AuthRequired>
{{#SMTP}}				<UsePOPAuth>{{USE_POP_AUTH}}</UsePOPAuth>
				<SMTPLast>off</SMTPLast>
{{/SMTP}}			</Protocol>
{{/PROTOCOL}}		</Account>
	</Response>
</Autodiscover>
