# mailguide sample: mail settings for Tom & Jerry's "Mail" <x> (comment: quotes here don't count)
$ErrorActionPreference = 'Stop'
$provider = 'Tom & Jerry''s "Mail" <x>'
$motto = 'It‘‘s fine, isn’’t it'
$settings = @{
    Imap = @{ Host = 'ssl0.ovh.net'; Port = 993; Ssl = $true }
    Smtp = @{ Host = 'ssl0.ovh.net'; Port = 465; Ssl = $true }
}
Write-Host "Configuring $provider ($($settings.Imap.Host):$($settings.Imap.Port))"
Write-Host "Quotes: `"x`" and ""y"" and $("(nested)")"
Write-Host "Next port: $($settings.Imap.Port + 1"
$path = ${env:ProgramFiles(x86)}
$text = @'
A here-string with 'quotes' and an unbalanced ( paren
'@
$expand = @"
Provider: $($provider.Length) chars, { not a brace
"@
<# block comment with ' quote and ( paren #>
if ($settings.Imap.Port -gt 0) {
    Write-Host ('{0} ready [{1}]' -f $provider, $motto)
}
