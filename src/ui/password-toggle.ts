// The show-password toggle: a small same-origin script (CSP script-src 'self'), so the forms work without it too.
/**
 * Adds a checkbox labelled with data-reveal (the page's language) after each password field marked so; without the script, nothing is
 * added and the field works as before. Kept as source text: served from /assets/password-toggle.js.
 */
export const PASSWORD_TOGGLE_JS = `for (const input of document.querySelectorAll('input[type=password][data-reveal]')) {
  const label = document.createElement('label');
  label.className = 'reveal';
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.addEventListener('change', () => { input.type = box.checked ? 'text' : 'password'; });
  label.append(box, input.dataset.reveal);
  input.after(label);
}
`;

export const PASSWORD_TOGGLE_PATH = '/assets/password-toggle.js';
