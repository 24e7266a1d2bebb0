<#-- São Paulo login page: keycloak.v2's login.ftl (26.7.3) laid out as the source document's page —
     title, "Servidores ou Cidadão", CPF or e-mail, password, ENTRAR, "Entrar com gov.br", "Esqueceu sua senha?",
     "Se você ainda não é cadastrado: CADASTRE-SE AQUI". Stock form, field names and ids are kept. -->
<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "social-providers.ftl" as identityProviders>
<#import "passkeys.ftl" as passkeys>
<#-- The gov.br identity provider, when the realm has one with alias "govbr"; the other providers stay stock. -->
<#assign provedores = (social.providers)![]>
<#assign govbr = (provedores?filter(p -> p.alias == "govbr")?first)!"">
<#assign outrosProvedores = provedores?filter(p -> p.alias != "govbr")>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('username','password') displayInfo=realm.password && realm.registrationAllowed && !registrationDisabled??; section>
<!-- template: login.ftl (prefeitura-sp) -->

    <#if section = "header">
        ${msg("lumLoginTitulo")}
    <#elseif section = "form">
        <p id="lum-publico" class="lum-publico">${msg("lumServidoresOuCidadao")}</p>
        <div id="kc-form">
          <div id="kc-form-wrapper">
            <#if realm.password>
                <form id="kc-form-login" class="${properties.kcFormClass!}" onsubmit="login.disabled = true; return true;" action="${url.loginAction}" method="post" novalidate="novalidate" aria-describedby="lum-publico">
                    <#if !usernameHidden??>
                        <#assign label>
                            <#if !realm.loginWithEmailAllowed>${msg("username")}<#elseif !realm.registrationEmailAsUsername>${msg("usernameOrEmail")}<#else>${msg("email")}</#if>
                        </#assign>
                        <@field.input name="username" label=label error=messagesPerField.getFirstError('username','password')
                            autofocus=true autocomplete="${(enableWebAuthnConditionalUI?has_content)?then('username webauthn', 'username')}" value=login.username!'' />
                        <@field.password name="password" label=msg("password") error="" forgotPassword=false autofocus=usernameHidden?? autocomplete="current-password">
                            <#if realm.rememberMe && !usernameHidden??>
                                <@field.checkbox name="rememberMe" label=msg("rememberMe") value=login.rememberMe?? />
                            </#if>
                        </@field.password>
                    <#else>
                        <@field.password name="password" label=msg("password") forgotPassword=false autofocus=usernameHidden?? autocomplete="current-password">
                            <#if realm.rememberMe && !usernameHidden??>
                                <@field.checkbox name="rememberMe" label=msg("rememberMe") value=login.rememberMe?? />
                            </#if>
                        </@field.password>
                    </#if>

                    <input type="hidden" id="id-hidden-input" name="credentialId" <#if auth.selectedCredential?has_content>value="${auth.selectedCredential}"</#if>/>
                    <div class="${properties.kcFormGroupClass}">
                      <div class="${properties.kcFormActionGroupClass} pf-v5-u-flex-wrap">
                        <button class="${properties.kcButtonPrimaryClass} ${properties.kcButtonBlockClass} lum-entrar" name="login" id="kc-login" type="submit">${msg("lumEntrar")}</button>
                      </div>
                    </div>
                </form>
            </#if>

            <#-- gov.br sign-in button, "externo" type of the DS GOV.BR (label, then the gov.br mark on its right). -->
            <div id="lum-govbr" class="lum-govbr">
              <#if govbr?has_content>
                <a id="social-govbr" class="lum-botao-govbr" href="${govbr.loginUrl}" title="${msg("lumGovbrDica")}" data-once-link>
                  <span class="lum-govbr-rotulo">${msg("lumEntrarCom")}</span>
                  <span class="lum-govbr-marca">gov.br</span>
                </a>
              <#else>
                <button type="button" id="social-govbr" class="lum-botao-govbr" aria-disabled="true" aria-describedby="lum-govbr-aviso">
                  <span class="lum-govbr-rotulo">${msg("lumEntrarCom")}</span>
                  <span class="lum-govbr-marca">gov.br</span>
                </button>
                <p id="lum-govbr-aviso" class="lum-aviso">${msg("lumGovbrIndisponivel")}</p>
              </#if>
            </div>

            <#if realm.resetPasswordAllowed>
              <p class="lum-esqueceu"><a id="lum-esqueceu-senha" href="${url.loginResetCredentialsUrl}">${msg("doForgotPassword")}</a></p>
            </#if>
          </div>
        </div>
        <@passkeys.conditionalUIData />
    <#elseif section = "socialProviders" >
        <#if realm.password && outrosProvedores?has_content>
            <@identityProviders.show social={"providers": outrosProvedores}/>
        </#if>
    <#elseif section = "info" >
        <#if realm.password && realm.registrationAllowed && !registrationDisabled??>
            <div id="kc-registration-container">
                <div id="kc-registration">
                    <span>${msg("lumNaoCadastrado")} <a href="${url.registrationUrl}">${msg("lumCadastreSeAqui")}</a></span>
                </div>
            </div>
        </#if>
    </#if>

</@layout.registrationLayout>
