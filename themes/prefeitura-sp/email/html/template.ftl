<#-- HTML e-mail layout of the Login Único Municipal (base/email/html/template.ftl plus the city's header and
     footer). Inline styles only: mail clients ignore style sheets. -->
<#macro emailLayout>
<html lang="${locale.language}" dir="${(ltr)?then('ltr','rtl')}">
<body style="margin:0;padding:0;background:#eef1f5;font-family:Arial,Helvetica,sans-serif;color:#1b1b1b;">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#eef1f5;padding:16px 0;">
    <tr><td align="center">
      <table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;border-top:6px solid #003b7a;">
        <tr><td style="padding:20px 24px 8px 24px;">
          <p style="margin:0;font-size:13px;letter-spacing:2px;font-weight:bold;color:#003b7a;">${msg("lumCidadeDeSaoPaulo")}</p>
          <p style="margin:4px 0 0 0;font-size:20px;font-weight:bold;color:#003b7a;">${msg("lumLoginUnico")}</p>
        </td></tr>
        <tr><td style="padding:8px 24px 16px 24px;font-size:15px;line-height:1.5;">
          <#nested>
        </td></tr>
        <tr><td style="padding:12px 24px 20px 24px;border-top:1px solid #dfe3e8;font-size:12px;color:#444b55;">
          ${msg("lumRodapeEmail")}
        </td></tr>
      </table>
    </td></tr>
  </table>
</body>
</html>
</#macro>
