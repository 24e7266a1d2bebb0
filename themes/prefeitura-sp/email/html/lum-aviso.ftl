<#-- lum-avisos (issue 14): the content-free notice of the Área do Cidadão. Only the reason (mensagem/pedido) is known
     here; no message text, no name, no data of the account. -->
<#import "template.ftl" as layout>
<@layout.emailLayout>
<#if motivo == "mensagem">${kcSanitize(msg("lumAvisoMensagemBodyHtml", properties.lumMinhaContaUrl))?no_esc}<#else>${kcSanitize(msg("lumAvisoPedidoBodyHtml", properties.lumMinhaContaUrl))?no_esc}</#if>
</@layout.emailLayout>
