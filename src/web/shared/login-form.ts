// The sign-in card both staff pages show before anything else. It only signs in; the page
// decides what an accepted principal may open.
import { h } from './dom.ts';
import { ApiError, staffErrorText, type Role, type StaffAuth, type StaffSession } from './staff-session.ts';

export interface LoginFormOptions {
  auth: StaffAuth;
  /** e.g. "Agent desktop". */
  product: string;
  roles: readonly Role[];
  /** Shown above the form, e.g. "Your session has ended." */
  notice?: string | null;
  onSignedIn(session: StaffSession): void;
}

export function renderLoginForm(opts: LoginFormOptions): HTMLElement {
  const username = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true, 'data-testid': 'login-username', spellcheck: 'false' });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'login-password' });
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'login-error', hidden: !opts.notice }, opts.notice ?? '');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'login-submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'login-card', novalidate: true, 'aria-labelledby': 'login-heading' },
    h('p', { class: 'login-brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Switchboard'),
    h('h1', { id: 'login-heading' }, opts.product),
    h('label', { for: 'login-username' }, 'Username'),
    username,
    h('label', { for: 'login-password' }, 'Password'),
    password,
    error,
    submit,
  );
  const fail = (text: string) => {
    error.textContent = text;
    error.hidden = false;
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!username.value.trim() || !password.value) return fail('Enter your username and password.');
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    opts.auth
      .signIn(username.value.trim(), password.value)
      .then((session) => {
        if (!opts.roles.includes(session.principal.role)) {
          opts.auth.signOut();
          return fail(`The account “${session.principal.name}” (${session.principal.role}) cannot open the ${opts.product.toLowerCase()}.`);
        }
        password.value = '';
        opts.onSignedIn(session);
      })
      .catch((err: unknown) => fail(err instanceof ApiError ? staffErrorText(err.code) : 'Sign-in failed. Please try again.'))
      .finally(() => {
        submit.disabled = false;
        submit.textContent = 'Sign in';
      });
  });
  queueMicrotask(() => username.focus());
  return h('main', { class: 'login-screen', 'data-testid': 'login' }, form);
}
