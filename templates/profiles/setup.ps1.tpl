{{!
  Windows PowerShell: ctemplate has no escaping context for it, so this
  template declares none and profiles.c checks (tpl_check_manual) that every
  value carries :x-ps-squote; each one sits inside a '...' string. The file
  is written as UTF-8 with a byte order mark and CRLF line endings (Windows
  PowerShell 5.1 reads a file without BOM in the ANSI code page).
}}# Sets up a mail account for Outlook (classic) on Windows, written by mailguide.
#
# Run:  powershell -ExecutionPolicy Bypass -File .\this-file.ps1 [-Email you@example.com]
#
# It writes an autodiscover file for your address under your user profile,
# points Outlook at it (HKCU, Outlook 2016 and later: Office 16.0) and prints
# every setting for Windows Mail and the new Outlook, which no script can
# configure. It stores no password and changes nothing outside your account.
[CmdletBinding()]
param(
    [string]$Email = '{{EMAIL:x-ps-squote}}'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

$Domains = @()
{{#DOMAIN}}$Domains += '{{NAME:x-ps-squote}}'
{{/DOMAIN}}
if (-not $Email) {
    $Email = Read-Host -Prompt '{{PROMPT:x-ps-squote}}'
}
$Email = $Email.Trim()
if ($Email -notmatch '^[^@\s]+@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$') {
    Write-Host ('{{INVALID:x-ps-squote}}' + ' ' + $Email)
    exit 1
}
$At = $Email.LastIndexOf('@')
$LocalPart = $Email.Substring(0, $At)
$Domain = $Email.Substring($At + 1).ToLowerInvariant()
if ($Domains.Count -gt 0 -and $Domains -notcontains $Domain) {
    Write-Warning ('{{OTHER_DOMAIN:x-ps-squote}}' + ' ' + ($Domains -join ', '))
}
# The table's placeholders (a login such as %EMAILLOCALPART%.%EMAILDOMAIN%,
# a host such as mail.%EMAILDOMAIN%) filled in for this address.
function Fill([string]$Text) {
    return $Text.Replace('%EMAILADDRESS%', $Email).Replace('%EMAILLOCALPART%', $LocalPart).Replace('%EMAILDOMAIN%', $Domain)
}

# Outlook: its autodiscover answer for this domain, read from a local file.
$Xml = '{{AUTODISCOVER:x-ps-squote}}'
$Xml = $Xml.Replace('%EMAILADDRESS%', [System.Security.SecurityElement]::Escape($Email))
$Xml = $Xml.Replace('%EMAILLOCALPART%', [System.Security.SecurityElement]::Escape($LocalPart))
$Xml = $Xml.Replace('%EMAILDOMAIN%', [System.Security.SecurityElement]::Escape($Domain))
$Folder = Join-Path -Path $env:LOCALAPPDATA -ChildPath 'Microsoft\Outlook\Autodiscover'
New-Item -ItemType Directory -Path $Folder -Force | Out-Null
$File = Join-Path -Path $Folder -ChildPath ($Domain + '.xml')
[System.IO.File]::WriteAllText($File, $Xml, (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false))

# PreferLocalXML: use the file first; ExcludeExplicitO365Endpoint: do not ask
# Microsoft 365 about the domain first; DisableOffice365SimplifiedAccountCreation:
# Outlook 2016 and later show the classic account wizard, which reads the file.
$Key = 'HKCU:\Software\Microsoft\Office\16.0\Outlook\AutoDiscover'
if (-not (Test-Path -Path $Key)) { New-Item -Path $Key -Force | Out-Null }
New-ItemProperty -Path $Key -Name $Domain -Value $File -PropertyType String -Force | Out-Null
New-ItemProperty -Path $Key -Name 'PreferLocalXML' -Value 1 -PropertyType DWord -Force | Out-Null
New-ItemProperty -Path $Key -Name 'ExcludeExplicitO365Endpoint' -Value 1 -PropertyType DWord -Force | Out-Null
$Setup = 'HKCU:\Software\Microsoft\Office\16.0\Outlook\Setup'
if (-not (Test-Path -Path $Setup)) { New-Item -Path $Setup -Force | Out-Null }
New-ItemProperty -Path $Setup -Name 'DisableOffice365SimplifiedAccountCreation' -Value 1 -PropertyType DWord -Force | Out-Null

Write-Host ''
Write-Host '{{WRITTEN:x-ps-squote}}'
Write-Host ('  ' + $File)
Write-Host '{{OUTLOOK_NEXT:x-ps-squote}}'
Write-Host ''
Write-Host '{{MANUAL_INTRO:x-ps-squote}}'
Write-Host ('  {{ADDRESS_LABEL:x-ps-squote}}: ' + $Email)
{{#SERVER}}Write-Host ''
Write-Host '{{TITLE:x-ps-squote}}'
{{#LINE}}Write-Host (Fill '  {{TEXT:x-ps-squote}}')
{{/LINE}}{{#LOGIN}}Write-Host (Fill '  {{LABEL:x-ps-squote}}: {{PATTERN:x-ps-squote}}')
{{/LOGIN}}{{/SERVER}}Write-Host ''
Write-Host '{{PASSWORD_NOTE:x-ps-squote}}'
