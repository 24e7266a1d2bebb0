/*
 * Login Único Municipal — small progressive enhancements for the login pages (the forms work without them).
 *  - Registration: the CPF field (the username) shows the 000.000.000-00 mask while typing and is sent as its
 *    11 digits only. Without JavaScript the server's validator answers a typed mask with a clear pt-BR message.
 *  - Login and "forgot password": a CPF typed with its mask is sent as digits; an e-mail is left alone.
 */
(function () {
  'use strict';

  var SO_CPF = /^[\d.\-\s]+$/;

  function digitos(valor) {
    return String(valor || '').replace(/\D/g, '');
  }

  function mascarar(valor) {
    var d = digitos(valor).slice(0, 11);
    if (d.length > 9) return d.slice(0, 3) + '.' + d.slice(3, 6) + '.' + d.slice(6, 9) + '-' + d.slice(9);
    if (d.length > 6) return d.slice(0, 3) + '.' + d.slice(3, 6) + '.' + d.slice(6);
    if (d.length > 3) return d.slice(0, 3) + '.' + d.slice(3);
    return d;
  }

  /** On submit, a CPF typed with dots, dash or spaces becomes its digits (e-mails untouched). */
  function enviarCpfSemMascara(form, campo) {
    form.addEventListener('submit', function () {
      if (SO_CPF.test(campo.value) && digitos(campo.value).length === 11) campo.value = digitos(campo.value);
    });
  }

  function iniciar() {
    var cadastro = document.getElementById('kc-register-form');
    var cpf = cadastro && cadastro.querySelector('input[name="username"]');
    if (cpf) {
      cpf.setAttribute('inputmode', 'numeric');
      cpf.setAttribute('maxlength', '14');
      cpf.setAttribute('placeholder', '000.000.000-00');
      var ajuda = document.getElementById('lum-cpf-ajuda');
      if (ajuda) {
        var descrito = cpf.getAttribute('aria-describedby');
        cpf.setAttribute('aria-describedby', descrito ? descrito + ' lum-cpf-ajuda' : 'lum-cpf-ajuda');
      }
      if (cpf.value && SO_CPF.test(cpf.value)) cpf.value = mascarar(cpf.value);
      cpf.addEventListener('input', function () {
        if (!SO_CPF.test(cpf.value) && cpf.value !== '') return; // letters typed: let the server say it is invalid
        var fim = cpf.selectionEnd === cpf.value.length;
        cpf.value = mascarar(cpf.value);
        if (fim) cpf.setSelectionRange(cpf.value.length, cpf.value.length);
      });
      enviarCpfSemMascara(cadastro, cpf);
    }

    ['kc-form-login', 'kc-reset-password-form'].forEach(function (id) {
      var form = document.getElementById(id);
      var campo = form && form.querySelector('input[name="username"]');
      if (campo) enviarCpfSemMascara(form, campo);
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', iniciar);
  else iniciar();
})();
