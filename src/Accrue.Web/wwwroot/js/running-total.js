// Purchase choose steps (add seats, subscribe, renew): shows the total while the customer types. The
// amount is the server's own quote (?handler=Total, the same pricing as "Review quote"); without this
// script the form works the same and the total appears on the review step.
(function () {
    document.querySelectorAll('form[data-running-total]').forEach(function (form) {
        var line = form.querySelector('.running-total');
        if (!line || !window.fetch) return;
        var amount = line.querySelector('.running-total-amount');
        var note = line.querySelector('.running-total-note');
        var timer = null;
        var latest = 0;
        var touched = false;

        function refresh() {
            var query = new URLSearchParams(new FormData(form));
            query.delete('Review');
            query.set('handler', 'Total');
            var request = ++latest;
            fetch(window.location.pathname + '?' + query.toString(), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
                .then(function (response) { return response.ok ? response.json() : null; })
                .then(function (result) {
                    if (request !== latest || !result) return;
                    // Untouched empty fields are not an error yet.
                    if (!result.total && !touched) return;
                    amount.textContent = result.total || '—';
                    note.textContent = result.total ? '' : (result.message || '');
                    line.hidden = false;
                })
                .catch(function () { /* the review step still shows the total */ });
        }

        form.addEventListener('input', function () {
            touched = true;
            clearTimeout(timer);
            timer = setTimeout(refresh, 250);
        });
        form.addEventListener('change', function () {
            touched = true;
            clearTimeout(timer);
            refresh();
        });
        refresh();
    });
})();
