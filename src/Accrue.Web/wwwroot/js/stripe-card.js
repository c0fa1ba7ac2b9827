// Settings → Card on file in Stripe mode: the card is typed into Stripe's own fields (Elements) and
// confirmed with Stripe in the browser; only the SetupIntent's id is posted to Accrue.
(function () {
    var form = document.getElementById('stripe-card-form');
    if (!form || typeof Stripe === 'undefined') return;
    var stripe = Stripe(form.dataset.publishableKey);
    var card = stripe.elements().create('card', { hidePostalCode: true });
    card.mount('#card-element');
    var errors = document.getElementById('card-errors');
    form.addEventListener('submit', function (event) {
        if (form.elements['SetupIntentId'].value) return;
        event.preventDefault();
        errors.textContent = '';
        stripe.confirmCardSetup(form.dataset.clientSecret, { payment_method: { card: card } }).then(function (result) {
            if (result.error) { errors.textContent = result.error.message; return; }
            form.elements['SetupIntentId'].value = result.setupIntent.id;
            form.submit();
        });
    });
})();
