// The show-password toggle: a small same-origin script (CSP script-src 'self'), so the forms work without it too.
/**
 * Adds a "Show password" checkbox after each password field marked data-reveal; without the script, nothing is
 * added and the field works as before. Kept as source text: served from /assets/password-toggle.js.
 */
export const PASSWORD_TOGGLE_JS = `for (const input of document.querySelectorAll('input[type=password][data-reveal]')) {
  const label = document.createElement('label');
  label.className = 'reveal';
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.addEventListener('change', () => { input.type = box.checked ? 'text' : 'password'; });
  label.append(box, 'Show password');
  input.after(label);
}
`;

export const PASSWORD_TOGGLE_PATH = '/assets/password-toggle.js';
