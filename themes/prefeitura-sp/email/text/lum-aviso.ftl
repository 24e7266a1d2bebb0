<#ftl output_format="plainText">
<#if motivo == "mensagem">${msg("lumAvisoMensagemBody", properties.lumMinhaContaUrl)}<#else>${msg("lumAvisoPedidoBody", properties.lumMinhaContaUrl)}</#if>
