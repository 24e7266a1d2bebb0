<#-- Below the login box: the link to "Minha conta" (the Área do Cidadão) and the City of São Paulo wordmark, as at
     the bottom of the source document's login page. -->
<#macro content>
  <div class="lum-rodape">
    <#-- "Minha conta": the one entry point of the Área do Cidadão (theme.properties lumMinhaContaUrl = LUM_PORTAL_URL). -->
    <p class="lum-minha-conta"><a id="lum-minha-conta" href="${properties.lumMinhaContaUrl}">${msg("lumMinhaConta")}</a> <span class="lum-minha-conta-dica">${msg("lumMinhaContaDica")}</span></p>
    <p class="lum-rodape-texto">${msg("lumCidadeDeSaoPaulo")}</p>
  </div>
</#macro>
