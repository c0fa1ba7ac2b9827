// Progressive enhancement for every page; everything works without it (CSP: script-src 'self', no inline handlers).
(function () {
    // Header menus are <details name="main-nav">: close the open one on a click elsewhere or on Escape.
    document.addEventListener('click', function (event) {
        document.querySelectorAll('details[name="main-nav"][open]').forEach(function (menu) {
            if (!menu.contains(event.target)) menu.removeAttribute('open');
        });
    });
    document.addEventListener('keydown', function (event) {
        if (event.key !== 'Escape') return;
        document.querySelectorAll('details[name="main-nav"][open]').forEach(function (menu) {
            menu.removeAttribute('open');
            menu.querySelector('summary').focus();
        });
    });

    // Consequential actions (transfer ownership, delete an order, suspend or close an organization, remove a
    // member, revoke an API key) carry data-confirm on their form or submit button: nothing is sent unless
    // the person confirms. Without the script the form still posts, as before.
    document.addEventListener('submit', function (event) {
        var form = event.target;
        var submitter = event.submitter;
        var message = (submitter && submitter.getAttribute('data-confirm')) || form.getAttribute('data-confirm');
        if (message && !window.confirm(message)) event.preventDefault();
    }, true);

    // The payment step (Features/Orders/_PaymentChoice.cshtml): typing in the new-card fields chooses "A new card".
    document.addEventListener('input', function (event) {
        var fields = event.target.closest && event.target.closest('fieldset.new-card');
        var radio = fields && fields.form && fields.form.querySelector('input[name="PaymentMethod"][value="NewCard"]');
        if (radio) radio.checked = true;
    });
})();
