/*
 * inquiry.js — the inquiry form (/inquiry/new, loaded by the layout when
 * Page.Script = "inquiry"; no inline script: the CSP forbids it). Without it
 * every category's guidance is listed under the select; with it only the
 * chosen category's guidance is shown, as soon as it is chosen, and it is
 * read out (aria-live) when the choice changes.
 */
(function () {
	'use strict';

	function init() {
		var select = document.getElementById('category');
		var box = document.getElementById('inquiry-guides');
		var title = document.getElementById('inquiry-guides-title');
		if (!select || !box)
			return;
		var items = box.querySelectorAll('.inquiry-guide');

		function show() {
			var any = false;
			Array.prototype.forEach.call(items, function (li) {
				var on = li.getAttribute('data-category') === select.value;
				li.hidden = !on;
				li.classList.toggle('inquiry-guide--chosen', on);
				if (on)
					any = true;
			});
			box.hidden = !any;
		}
		box.classList.add('inquiry-guides--live');
		box.setAttribute('aria-live', 'polite');
		if (title)
			title.hidden = true;
		select.setAttribute('aria-describedby', 'inquiry-guides');
		select.addEventListener('change', show);
		show();
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
}());
