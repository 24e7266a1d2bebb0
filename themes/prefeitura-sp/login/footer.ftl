<#-- Below the login box: the City of São Paulo wordmark, as at the bottom of the source document's login page. -->
<#macro content>
  <div class="lum-rodape">
    <p class="lum-rodape-texto">${msg("lumCidadeDeSaoPaulo")}</p>
  </div>
</#macro>
