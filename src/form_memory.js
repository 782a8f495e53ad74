// Keeps what a visitor typed into a form that the server refused. Forms are plain HTML forms
// (islands, issue 15): a refused post is answered with a redirect back to the page, which the
// server renders again with the messages beside the fields but, for most forms, with the
// fields at their defaults. This remembers the fields on submit (never passwords, files or
// hidden fields) in sessionStorage for a minute and, when the same page comes back showing an
// error for that form, puts back every field the new page left at its default.
(() => {
	const KEY = "apm-form-memory";
	const kept = (el) =>
		el.name && !["password", "file", "hidden", "submit", "button"].includes(el.type);
	document.addEventListener("submit", (ev) => {
		const form = ev.target;
		if (!(form instanceof HTMLFormElement) || !form.id || form.method !== "post") return;
		const fields = [];
		for (const el of form.elements) {
			if (!kept(el)) continue;
			const checkable = el.type === "checkbox" || el.type === "radio";
			fields.push([el.name, el.type, checkable ? el.value : null, checkable ? el.checked : el.value]);
		}
		const memory = { form: form.id, path: location.pathname, at: Date.now(), fields };
		try { sessionStorage.setItem(KEY, JSON.stringify(memory)); } catch (_) { /* private mode */ }
	});
	let memory = null;
	try {
		memory = JSON.parse(sessionStorage.getItem(KEY) || "null");
		sessionStorage.removeItem(KEY);
	} catch (_) {
		return;
	}
	if (!memory || memory.path !== location.pathname || Date.now() - memory.at > 60000) return;
	const form = document.getElementById(memory.form);
	if (!(form instanceof HTMLFormElement)) return;
	// Refused: an error beside a field of the form, or a form-level error in its panel.
	const panel = form.closest("section, .panel") || form.parentElement;
	const refused = form.querySelector(".field-invalid") || (panel && panel.querySelector(".notice-error"));
	if (!refused) return;
	for (const [name, type, value, state] of memory.fields) {
		for (const el of form.elements) {
			if (el.name !== name || el.type !== type || !kept(el)) continue;
			if (type === "checkbox" || type === "radio") {
				if (el.value === value && el.checked === el.defaultChecked) el.checked = state;
			} else if (el.tagName === "SELECT") {
				if ([...el.options].every((o) => o.selected === o.defaultSelected)) el.value = state;
			} else if (el.value === el.defaultValue) {
				el.value = state;
			}
		}
	}
})();
