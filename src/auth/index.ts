// Public face of authentication: accounts, devices, tokens and roles.
export { AuthService, LOOPBACK_KIOSK_ID, type Account, type Device, type Session, type AuthSettings } from './service.ts';
export { TokenIssuer } from './tokens.ts';
export { loadOrCreateSecret, removeSecret } from './secrets.ts';
export { ACCOUNT_ROLES, STAFF, KB_EDITORS, CUSTOMER_CHANNELS, CLIENT_SCOPES, type AccountRole, type Role, type Principal, type ClientScope } from './roles.ts';
export { OAuthClients, type OAuthClient } from './clients.ts';
export { passwordProblem } from './passwords.ts';
export { LoginThrottle, DEFAULT_THROTTLE, type ThrottleSettings } from './login-throttle.ts';
